/**
 * What to do with a box drawn on the page (or a selected line taken as one): read its text again (turned as
 * chosen), type the text yourself, or delete the lines inside it. A reading is only a proposal until "Use these
 * lines" makes it an edit.
 */
import { useState, type ReactNode } from 'react';
import type { ProposedLine } from '../../../common/edits.ts';
import type { PageOrientation } from '../../../common/result.ts';
import { useApp } from '../../context.tsx';

export interface RegionState {
  readonly rotation: PageOrientation;
  readonly reading: boolean;
  readonly proposal: readonly ProposedLine[] | null;
  readonly problem: string | null;
}

export function RegionPanel(props: {
  state: RegionState;
  inside: number;
  onRotation: (r: PageOrientation) => void;
  onRead: () => void;
  onApply: () => void;
  onAdd: (text: string) => void;
  onDelete: () => void;
  onClose: () => void;
}): ReactNode {
  const { t } = useApp();
  const [text, setText] = useState('');
  const s = props.state;
  return (
    <section className="ed-region-panel card" aria-labelledby="ed-region-title" data-testid="region-panel">
      <div className="row between">
        <h3 id="ed-region-title">{t('edRegionTitle')}</h3>
        <button type="button" className="button small quiet" onClick={props.onClose}>
          {t('edRegionClose')}
        </button>
      </div>
      <div className="row">
        <label htmlFor="ed-rotation">{t('edRegionRotation')}</label>
        <select id="ed-rotation" value={s.rotation} onChange={(e) => props.onRotation(Number(e.target.value) as PageOrientation)}>
          {([0, 90, 180, 270] as const).map((r) => (
            <option key={r} value={r}>
              {t(`edRot_${r}`)}
            </option>
          ))}
        </select>
        <button type="button" className="button primary" onClick={props.onRead} disabled={s.reading}>
          {s.reading ? t('edRegionReading') : t('edRegionRead')}
        </button>
      </div>
      <div aria-live="polite">
        {s.problem ? <p className="problem">{s.problem}</p> : null}
        {s.proposal && s.proposal.length === 0 ? <p className="muted">{t('edRegionNothing')}</p> : null}
        {s.proposal && s.proposal.length > 0 ? (
          <>
            <p>{t('edRegionFound', { count: s.proposal.length })}</p>
            <ol className="ed-proposals" data-testid="region-proposal">
              {s.proposal.map((l, i) => (
                <li key={i}>
                  {l.text} <span className="muted">({Math.round(l.confidence * 100)}%)</span>
                </li>
              ))}
            </ol>
            <div className="row">
              <button type="button" className="button primary" onClick={props.onApply}>
                {t('edRegionApply')}
              </button>
            </div>
          </>
        ) : null}
      </div>
      <form
        className="row"
        onSubmit={(e) => {
          e.preventDefault();
          if (text.trim()) props.onAdd(text.trim());
        }}
      >
        <label htmlFor="ed-region-text" className="grow">
          {t('edRegionTypeLabel')}
        </label>
        <input id="ed-region-text" type="text" value={text} onChange={(e) => setText(e.target.value)} autoComplete="off" />
        <button type="submit" className="button" disabled={!text.trim()}>
          {t('edRegionAdd')}
        </button>
      </form>
      <div className="row">
        <button type="button" className="button danger" onClick={props.onDelete} disabled={props.inside === 0}>
          {t('edRegionDelete', { count: props.inside })}
        </button>
      </div>
    </section>
  );
}
