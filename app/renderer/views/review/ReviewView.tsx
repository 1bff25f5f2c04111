/**
 * The review queue: finished documents with words under the chosen confidence threshold, worst first (most such
 * words, then the lowest confidence), so a person can check a whole batch without opening each document. Each
 * opens in the result editor at its lowest-confidence word; the editor's "next document" follows this order.
 */
import { useEffect, useState, type ReactNode } from 'react';
import type { ReviewQueue } from '../../../common/api/editing.ts';
import { useApp, useServiceState } from '../../context.tsx';
import { routeHash } from '../../lib/route.ts';

export function ReviewView(): ReactNode {
  const { client, t, prefs, setPref, attempt } = useApp();
  const state = useServiceState();
  const [queue, setQueue] = useState<ReviewQueue | null>(null);
  const threshold = prefs.reviewThreshold;
  const percent = Math.round(threshold * 100);
  const done = [...state.documents.values()].filter((d) => d.state === 'done').length;

  useEffect(() => {
    let live = true;
    void attempt(() => client.reviewQueue({ threshold, limit: 500 })).then((q) => live && q && setQueue(q));
    return () => {
      live = false;
    };
    // Documents finish and are deleted: the queue is asked again.
  }, [client, attempt, threshold, done]);

  return (
    <div className="stack review">
      <div className="page-head row between">
        <h2>{t('revTitle')}</h2>
        <div className="inline-field ed-threshold">
          <label htmlFor="rev-threshold">{t('edThreshold')}</label>
          <input
            id="rev-threshold"
            type="range"
            min={0.5}
            max={0.99}
            step={0.01}
            value={threshold}
            aria-valuetext={`${percent}%`}
            onChange={(e) => setPref('reviewThreshold', Math.round(Number(e.target.value) * 100) / 100)}
          />
          <output htmlFor="rev-threshold">{percent}%</output>
        </div>
      </div>
      <p className="muted">{t('revLead', { percent })}</p>
      {!queue ? <p className="empty">{t('loading')}</p> : null}
      {queue && queue.documents.length === 0 ? <p className="empty">{t('revEmpty', { percent })}</p> : null}
      {queue && queue.documents.length > 0 ? (
        <div className="card table-wrap">
          <table className="review-table" data-testid="review-queue">
            <caption className="visually-hidden">{t('revTotal', { count: queue.total })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('revName')}</th>
                <th scope="col" className="num">
                  {t('revLow')}
                </th>
                <th scope="col" className="num">
                  {t('revLowest')}
                </th>
                <th scope="col" className="num">
                  {t('revPages')}
                </th>
                <th scope="col" className="num">
                  {t('revEdited')}
                </th>
              </tr>
            </thead>
            <tbody>
              {queue.documents.map((d) => (
                <tr key={d.documentId} data-document-id={d.documentId}>
                  <th scope="row">
                    <a className="hit-name" href={routeHash({ tab: 'library', documentId: d.documentId, edit: true, review: true })} aria-label={t('revOpen', { name: d.name })}>
                      {d.name}
                    </a>
                  </th>
                  <td className="num">{t('revLowOf', { low: d.lowWords, words: d.words })}</td>
                  <td className="num">{Math.round(d.lowestConfidence * 100)}%</td>
                  <td className="num">{d.pages}</td>
                  <td className="num">{d.editedPages}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="muted review-total">{t('revTotal', { count: queue.total })}</p>
        </div>
      ) : null}
    </div>
  );
}
