/**
 * The banners over the editor: a draft kept from before (a crash, a reload) offered back or discarded, and a page
 * saved elsewhere while this one has pending edits, whose edits can be applied again on the new version.
 */
import type { ReactNode } from 'react';
import { useApp } from '../../context.tsx';
import { formatTime } from '../../i18n/i18n.ts';
import type { DraftRow } from '../../prefs/db.ts';

export function DraftBanners(props: {
  offer: DraftRow | null;
  /** The version saved elsewhere, if any. */
  conflict: number | null;
  /** The version the open draft is made on. */
  baseVersion: number;
  onRestore: () => void;
  onDiscard: () => void;
  onReapply: () => void;
}): ReactNode {
  const { t, language } = useApp();
  const { offer, conflict } = props;
  return (
    <>
      {offer ? (
        <div className="ed-banner" role="alert" data-testid="draft-offer">
          <p>
            {t('edDraftFound', { time: formatTime(new Date(offer.updatedAt).toISOString(), language), count: offer.done.length })}
            {offer.typing ? ` ${t('edDraftTyping', { text: offer.typing.text })}` : ''}
            {offer.baseVersion !== props.baseVersion ? ` ${t('edDraftStale', { version: props.baseVersion })}` : ''}
          </p>
          <div className="row">
            <button type="button" className="button primary" onClick={props.onRestore}>
              {t('edDraftRestore')}
            </button>
            <button type="button" className="button" onClick={props.onDiscard}>
              {t('edDraftDiscard')}
            </button>
          </div>
        </div>
      ) : null}
      {conflict !== null ? (
        <div className="ed-banner" role="alert">
          <p>{t('edConflict', { version: conflict })}</p>
          <button type="button" className="button primary" onClick={props.onReapply}>
            {t('edReapply')}
          </button>
        </div>
      ) : null}
    </>
  );
}
