/** Watched folders: add, edit, pause, resume and remove them, and see what each has done lately. */
import { useState, type ReactNode } from 'react';
import type { HotFolderActivity, HotFolderInfo } from '../../../common/api/resources.ts';
import { ConfirmDialog } from '../../components/Dialog.tsx';
import { useApp, useServiceState } from '../../context.tsx';
import { formatTime } from '../../i18n/i18n.ts';
import { HotFolderForm } from './HotFolderForm.tsx';

/** Activity entries shown per folder. */
const RECENT_SHOWN = 8;
const COUNTS = ['taken', 'done', 'failed', 'waiting', 'arriving'] as const;

function Activity(props: { activity: HotFolderActivity; folder: string }): ReactNode {
  const { t, language } = useApp();
  const a = props.activity;
  const where = a.path ? (a.path.startsWith(props.folder) ? a.path.slice(props.folder.length).replace(/^[/\\]/, '') : a.path) : null;
  return (
    <li className={`activity act-${a.kind}`}>
      <span className={`pill act-${a.kind}`}>{t(`act_${a.kind}`)}</span>
      <span className="activity-what">
        {where ? a.documentId !== null && a.kind === 'done' ? <a href={`#/library/${a.documentId}`}>{where}</a> : <span className="mono">{where}</span> : null}
        {a.message ? <span className="activity-message">{a.message}</span> : null}
      </span>
      <time dateTime={a.at} className="muted">
        {formatTime(a.at, language)}
      </time>
    </li>
  );
}

function HotFolderCard(props: { folder: HotFolderInfo; onEdit: () => void; onRemove: () => void }): ReactNode {
  const { client, t, attempt, notify } = useApp();
  const f = props.folder;
  const name = f.settings.folder;
  return (
    <li className="card hot-folder" data-hot-folder-id={f.id} data-state={f.state} aria-label={name}>
      <div className="job-head">
        <div className="job-title">
          <h3 className="mono">{name}</h3>
          <span className={`pill hf-${f.state}`}>{t(`hfState_${f.state}`)}</span>
        </div>
        <div className="job-actions">
          {f.state === 'paused' ? (
            <button type="button" className="button small" aria-label={t('hfResumeLabel', { folder: name })} onClick={() => void attempt(() => client.resumeHotFolder({ hotFolderId: f.id }))}>
              {t('resume')}
            </button>
          ) : (
            <button type="button" className="button small" aria-label={t('hfPauseLabel', { folder: name })} onClick={() => void attempt(() => client.pauseHotFolder({ hotFolderId: f.id }))}>
              {t('pause')}
            </button>
          )}
          <button type="button" className="button small" aria-label={t('hfEditLabel', { folder: name })} onClick={props.onEdit}>
            {t('hfEdit')}
          </button>
          {f.counts.failed > 0 ? (
            <button
              type="button"
              className="button small"
              onClick={() => void attempt(() => client.retryHotFolder({ hotFolderId: f.id })).then((r) => r && notify(t('hfRetried', { count: r.files })))}
            >
              {t('hfRetry')}
            </button>
          ) : null}
          <button type="button" className="button small quiet" aria-label={t('hfRemoveLabel', { folder: name })} onClick={props.onRemove}>
            {t('hfRemove')}
          </button>
        </div>
      </div>
      <p className="job-meta mono">{t('hfOut', { out: f.settings.out })}</p>
      {f.problem ? (
        <p className="problem" role="alert">
          {f.problem}
        </p>
      ) : null}
      <dl className="counts">
        {COUNTS.map((c) => (
          <div key={c} className={`count-${c}`}>
            <dt>{t(`hfCount_${c}`)}</dt>
            <dd data-testid={`count-${c}`}>{f.counts[c]}</dd>
          </div>
        ))}
      </dl>
      <h4 className="sub">{t('hfRecent')}</h4>
      {f.recent.length === 0 ? (
        <p className="muted">{t('hfNothingYet')}</p>
      ) : (
        <ul className="activities">
          {f.recent.slice(0, RECENT_SHOWN).map((a, i) => (
            <Activity key={`${a.at}-${i}`} activity={a} folder={name} />
          ))}
        </ul>
      )}
    </li>
  );
}

export function HotFoldersView(): ReactNode {
  const { client, t, attempt } = useApp();
  const folders = [...useServiceState().hotFolders.values()].sort((a, b) => a.id - b.id);
  const [editing, setEditing] = useState<HotFolderInfo | 'new' | null>(null);
  const [removing, setRemoving] = useState<HotFolderInfo | null>(null);
  return (
    <div className="stack">
      <div className="page-head row between">
        <div className="page-head">
          <h2>{t('tab_hot-folders')}</h2>
          <p className="hint">{t('hfIntro')}</p>
        </div>
        <button type="button" className="button primary" onClick={() => setEditing('new')}>
          {t('hfAdd')}
        </button>
      </div>
      {folders.length === 0 ? (
        <p className="empty">{t('hfEmpty')}</p>
      ) : (
        <ul className="jobs" aria-label={t('hfList')}>
          {folders.map((f) => (
            <HotFolderCard key={f.id} folder={f} onEdit={() => setEditing(f)} onRemove={() => setRemoving(f)} />
          ))}
        </ul>
      )}
      {editing ? <HotFolderForm editing={editing === 'new' ? null : editing} onClose={() => setEditing(null)} /> : null}
      {removing ? (
        <ConfirmDialog
          title={t('hfRemoveTitle', { folder: removing.settings.folder })}
          body={t('hfRemoveConfirm', { folder: removing.settings.folder })}
          confirm={t('hfRemove')}
          cancel={t('cancel')}
          onClose={() => setRemoving(null)}
          onConfirm={() => {
            const id = removing.id;
            setRemoving(null);
            void attempt(() => client.removeHotFolder({ hotFolderId: id }));
          }}
        />
      ) : null}
    </div>
  );
}
