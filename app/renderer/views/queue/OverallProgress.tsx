/** The whole queue at a glance: pages left, pages/s and time left (the service's figures), and queue-wide actions. */
import type { ReactNode } from 'react';
import { ProgressBar } from '../../components/ProgressBar.tsx';
import { useApp } from '../../context.tsx';
import { formatDuration, formatRate } from '../../i18n/i18n.ts';
import type { ServiceState } from '../../state/service-state.ts';

export function OverallProgress(props: { state: ServiceState }): ReactNode {
  const { client, t, language, attempt, notify } = useApp();
  const { progress } = props.state;
  let done = 0;
  let total = 0;
  let failed = 0;
  for (const job of props.state.jobs.values()) {
    failed += job.documents.failed ?? 0;
    if (job.state !== 'queued' && job.state !== 'running' && job.state !== 'paused') continue;
    done += job.pages.done;
    total += job.pages.total;
  }
  const remaining = progress?.remainingPages ?? 0;
  const paused = progress?.paused ?? false;
  const parts: string[] = [];
  if (paused) parts.push(t('queuePaused'));
  if (remaining === 0 && !paused) parts.push(t('idle'));
  if (remaining > 0) {
    parts.push(t('pagesLeft', { count: remaining }));
    if (progress && progress.pagesPerSecond > 0) parts.push(t('rate', { rate: formatRate(progress.pagesPerSecond, language) }));
    parts.push(progress?.etaSeconds != null && progress.pagesPerSecond > 0 ? t('eta', { time: formatDuration(progress.etaSeconds, language) }) : t('estimating'));
  }
  return (
    <section className="card overall" aria-labelledby="overall-title">
      <div className="overall-head">
        <h2 id="overall-title">{t('overallTitle')}</h2>
        <p className="overall-figures" aria-live="polite" data-testid="overall-figures">
          {parts.join(' · ')}
        </p>
        <div className="row">
          {paused ? (
            <button type="button" className="button small" onClick={() => void attempt(() => client.resumeQueue())}>
              {t('resumeQueue')}
            </button>
          ) : (
            <button type="button" className="button small" onClick={() => void attempt(() => client.pauseQueue())} disabled={remaining === 0}>
              {t('pauseQueue')}
            </button>
          )}
          {failed > 0 ? (
            <button
              type="button"
              className="button small"
              onClick={() =>
                void attempt(() => client.retryFailed()).then((r) => {
                  if (r) notify(t('hfRetried', { count: r.documents }));
                })
              }
            >
              {t('retryAllFailed')}
            </button>
          ) : null}
        </div>
      </div>
      <ProgressBar label={t('overallProgress')} value={total === 0 ? 1 : done} max={total === 0 ? 1 : total} valueText={parts.join(', ')} tone={paused ? 'paused' : total === 0 ? 'done' : 'normal'} />
    </section>
  );
}
