/**
 * The side of the editor beside the page: the region being worked on (RegionPanel), when there is one, over the
 * page's text in reading order (TextPanel).
 */
import { useCallback, type ReactNode, type RefObject } from 'react';
import { insideQuad, quadCentre } from '../../../common/edits.ts';
import type { OcrPage } from '../../../common/result.ts';
import { useApp } from '../../context.tsx';
import type { Selection } from './editor-model.ts';
import { RegionPanel } from './RegionPanel.tsx';
import { TextPanel } from './TextPanel.tsx';
import type { RegionCommands } from './use-region.ts';

export function EditorSide(props: {
  panel: RefObject<HTMLDivElement | null>;
  page: OcrPage;
  pageIndex: number;
  threshold: number;
  selection: Selection | null;
  matches: ReadonlySet<string>;
  region: RegionCommands;
  onSelect: (s: Selection) => void;
  onEdit: (s: Selection) => void;
}): ReactNode {
  const { t } = useApp();
  const { page, region } = props;
  const open = region.region;
  const inside = open ? page.lines.filter((l) => insideQuad(open.quad, quadCentre(l.box))).length : 0;
  const lineLabel = useCallback((n: number) => t('edLineN', { n }), [t]);
  return (
    <aside className="ed-side" ref={props.panel}>
      {open ? (
        <RegionPanel
          state={open.state}
          inside={inside}
          onRotation={region.rotate}
          onRead={() => void region.read()}
          onApply={region.apply}
          onAdd={region.add}
          onDelete={region.clear}
          onClose={region.close}
        />
      ) : null}
      <h3 className="ed-side-title">{t('edTextHeading')}</h3>
      <TextPanel
        page={page}
        label={t('edTextLabel', { n: props.pageIndex + 1 })}
        threshold={props.threshold}
        selection={props.selection}
        matches={props.matches}
        lineLabel={lineLabel}
        empty={t('edNoWords')}
        onSelect={props.onSelect}
        onEdit={props.onEdit}
      />
    </aside>
  );
}
