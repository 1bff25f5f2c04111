/** The queue: the drop zone, overall progress, a filter, and the jobs newest first. */
import type { ReactNode } from 'react';
import { useApp, useServiceState } from '../../context.tsx';
import { useNow } from '../../lib/use-visible.ts';
import { documentsOf, jobMatches, QUEUE_FILTERS, sortedJobs, type QueueFilter } from '../../state/service-state.ts';
import { DropZone } from './DropZone.tsx';
import { JobCard } from './JobCard.tsx';
import { OverallProgress } from './OverallProgress.tsx';

/** Jobs drawn at most; older ones are in the library. */
const JOBS_SHOWN = 50;

export function QueueView(): ReactNode {
  const { t, prefs, setPref } = useApp();
  const state = useServiceState();
  const jobs = sortedJobs(state);
  const running = jobs.some((j) => j.state === 'running');
  const now = useNow(running);
  const filter = prefs.queueFilter;
  const shown = jobs.filter((j) => jobMatches(j, filter)).slice(0, JOBS_SHOWN);
  const count = (f: QueueFilter) => jobs.filter((j) => jobMatches(j, f)).length;

  return (
    <div className="stack">
      <DropZone />
      <OverallProgress state={state} />
      <div className="toolbar">
        <div role="group" aria-label={t('filterLabel')} className="segmented">
          {QUEUE_FILTERS.map((f) => (
            <button key={f} type="button" aria-pressed={filter === f} className="segment" onClick={() => setPref('queueFilter', f)}>
              {t(`filter_${f}`)} <span className="count">{count(f)}</span>
            </button>
          ))}
        </div>
      </div>
      {shown.length === 0 ? (
        <p className="empty">{jobs.length === 0 ? t('emptyQueue') : t('emptyFilter')}</p>
      ) : (
        <ul className="jobs" aria-label={t('jobsList')}>
          {shown.map((job) => (
            <JobCard key={job.id} job={job} documents={documentsOf(state, job.id)} state={state} now={now} />
          ))}
        </ul>
      )}
    </div>
  );
}
