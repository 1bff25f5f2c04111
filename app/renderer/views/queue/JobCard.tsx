/** One job in the queue: what it is, its state and progress (with its own pages/s and time left), its actions and documents. */
import type { ReactNode } from 'react';
import type { DocumentSummary, JobSummary } from '../../../common/api/resources.ts';
import { ProgressBar } from '../../components/ProgressBar.tsx';
import { StatePill } from '../../components/StatePill.tsx';
import { useApp } from '../../context.tsx';
import { formatDuration, formatRate, type Translate } from '../../i18n/i18n.ts';
import { jobRate, type ServiceState } from '../../state/service-state.ts';
import { DocumentRow } from './DocumentRow.tsx';

/** Documents listed per job; the rest are counted. */
const DOCUMENTS_SHOWN = 6;

/** The service labels uploads in English ("3 uploaded files"); that one label is said in the UI's language. */
export function jobLabel(job: JobSummary, t: Translate): string {
  const m = job.label.match(/^(\d+) uploaded files$/);
  return m ? t('uploadedFiles', { count: Number(m[1]) }) : job.label;
}

const isActive = (job: JobSummary) => job.state === 'queued' || job.state === 'running' || job.state === 'paused';

export function JobCard(props: { job: JobSummary; documents: readonly DocumentSummary[]; state: ServiceState; now: number }): ReactNode {
  const { client, t, language, attempt } = useApp();
  const { job } = props;
  const label = jobLabel(job, t);
  const rate = jobRate(props.state, job, props.now);
  const retryable = !isActive(job) && ((job.documents.failed ?? 0) > 0 || (job.documents.cancelled ?? 0) > 0);
  const parts = [t('jobPages', { done: job.pages.done, total: job.pages.total, count: job.pages.total })];
  if (job.state === 'running' && rate.pagesPerSecond > 0) parts.push(t('rate', { rate: formatRate(rate.pagesPerSecond, language) }));
  if (job.state === 'running' && rate.etaSeconds !== null) parts.push(t('eta', { time: formatDuration(rate.etaSeconds, language) }));
  const tone = job.state === 'paused' ? 'paused' : job.state === 'failed' || job.state === 'cancelled' ? 'failed' : job.state === 'done' ? 'done' : 'normal';
  const shown = props.documents.slice(0, DOCUMENTS_SHOWN);
  const hidden = Math.max(0, (props.documents.length || sumCounts(job)) - shown.length);

  return (
    <li className="card job" data-job-id={job.id} data-state={job.state} aria-label={label}>
      <div className="job-head">
        <div className="job-title">
          <h3>{label}</h3>
          <StatePill state={job.state} />
          {job.kind === 'hotfolder' ? <span className="tag">{t('hotFolderJob')}</span> : null}
        </div>
        <div className="job-actions">
          {job.state === 'queued' || job.state === 'running' ? (
            <button type="button" className="button small" aria-label={t('pauseJob', { label })} onClick={() => void attempt(() => client.pauseJob({ jobId: job.id }))}>
              {t('pause')}
            </button>
          ) : null}
          {job.state === 'paused' ? (
            <button type="button" className="button small" aria-label={t('resumeJob', { label })} onClick={() => void attempt(() => client.resumeJob({ jobId: job.id }))}>
              {t('resume')}
            </button>
          ) : null}
          {isActive(job) ? (
            <button type="button" className="button small quiet" aria-label={t('cancelJob', { label })} onClick={() => void attempt(() => client.cancelJob({ jobId: job.id }))}>
              {t('cancel')}
            </button>
          ) : null}
          {retryable ? (
            <button type="button" className="button small" aria-label={t('retryJob', { label })} onClick={() => void attempt(() => client.retryJob({ jobId: job.id }))}>
              {t('retry')}
            </button>
          ) : null}
        </div>
      </div>
      <ProgressBar label={t('jobProgress', { label })} value={job.pages.done} max={job.pages.total} valueText={parts.join(', ')} tone={tone} />
      <p className="job-meta">{parts.join(' · ')}</p>
      <ul className="docs">
        {shown.map((d) => (
          <DocumentRow key={d.id} doc={d} seen={props.state.pagesSeen.get(d.id)} alone={props.documents.length === 1 && d.name === job.label} />
        ))}
      </ul>
      {hidden > 0 ? <p className="muted more">{t('moreDocuments', { count: hidden })}</p> : null}
    </li>
  );
}

function sumCounts(job: JobSummary): number {
  return Object.values(job.documents).reduce((a, b) => a + b, 0);
}
