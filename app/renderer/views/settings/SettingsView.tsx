/**
 * The service's settings: workers and threads, GPU, model pack, the defaults of new jobs, and the data folder
 * (read-only). A value pinned by an environment variable or the command line (`getSettings().sources`) is shown
 * disabled with the reason. Saving sends only what changed (`updateSettings`).
 */
import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import type { Diagnostics, ServiceSettings, SettingsView as SettingsViewData } from '../../../common/api/resources.ts';
import { CheckField, NumberField, TextField } from '../../components/Field.tsx';
import { OutputFields, ReadingFields, type JobSettingsDraft } from '../../components/JobSettingsFields.tsx';
import { useApp, useServiceState } from '../../context.tsx';
import { AccessKeys } from './AccessKeys.tsx';
import { gpuText } from './gpu-text.ts';
import { NetworkSettings } from './NetworkSettings.tsx';
import { changedSettings } from './settings-diff.ts';

export function SettingsView(): ReactNode {
  const { t } = useApp();
  const settings = useServiceState().settings;
  if (!settings) return <p className="empty">{t('loading')}</p>;
  // A new form when the stored settings change (saved here, or elsewhere): the draft starts from them.
  return (
    <>
      <SettingsForm key={JSON.stringify(settings.values)} view={settings} />
      <NetworkSettings />
      <AccessKeys />
    </>
  );
}

function SettingsForm(props: { view: SettingsViewData }): ReactNode {
  const { client, t, attempt, notify } = useApp();
  const { view } = props;
  const [draft, setDraft] = useState<ServiceSettings>(view.values);
  const [diagnostics, setDiagnostics] = useState<Diagnostics | null>(null);
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    void client.getDiagnostics().then(setDiagnostics, () => undefined);
  }, [client]);

  const pinned = (key: string): string | undefined => {
    const source = view.sources[key];
    return source === 'environment' || source === 'command-line' ? t(`pinned_${source}`) : undefined;
  };
  const set = <K extends keyof ServiceSettings>(key: K, value: ServiceSettings[K]) => setDraft((d) => ({ ...d, [key]: value }));
  const setJob = (jobDefaults: JobSettingsDraft) => setDraft((d) => ({ ...d, jobDefaults: { ...jobDefaults, formats: [...jobDefaults.formats], languages: [...jobDefaults.languages] } }));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const patch = changedSettings(view.values, draft);
    if (!patch) {
      notify(t('setNoChanges'));
      return;
    }
    setSaving(true);
    const saved = await attempt(() => client.updateSettings(patch));
    setSaving(false);
    if (saved) notify(t('setSaved'));
  };

  const gpu = diagnostics?.gpu;
  const gpuHint = gpu ? gpuText(gpu, t) : t('loading');
  const model = diagnostics?.models;

  return (
    <form className="stack settings" onSubmit={(e) => void submit(e)} aria-labelledby="settings-title">
      <div className="page-head">
        <h2 id="settings-title">{t('tab_settings')}</h2>
        <p className="hint">{t('setIntro')}</p>
      </div>
      <section className="card" aria-labelledby="set-workers">
        <h3 id="set-workers">{t('setSectionWorkers')}</h3>
        <div className="grid2">
          <NumberField label={t('setWorkers')} hint={t('setWorkersHint')} value={draft.workers} min={1} max={64} allowEmpty placeholder={t('automatic')} onChange={(v) => set('workers', v)} pinned={pinned('workers')} />
          <NumberField label={t('setThreads')} hint={t('setThreadsHint')} value={draft.threads} min={1} max={256} allowEmpty placeholder={t('automatic')} onChange={(v) => set('threads', v)} pinned={pinned('threads')} />
          <NumberField label={t('setPageTimeout')} value={draft.pageTimeoutMs} min={1000} onChange={(v) => v !== null && set('pageTimeoutMs', v)} pinned={pinned('pageTimeoutMs')} />
        </div>
        <CheckField label={t('setGpu')} hint={gpuHint} checked={draft.gpu} onChange={(v) => set('gpu', v)} pinned={pinned('gpu')} />
        <TextField
          label={t('setModelDir')}
          hint={model ? t('setModelName', { name: model.name, languages: model.languages.join(', ') }) : undefined}
          value={draft.modelDir}
          onChange={(v) => set('modelDir', v)}
          required
          pinned={pinned('modelDir')}
        />
      </section>
      <section className="card" aria-labelledby="set-defaults">
        <h3 id="set-defaults">{t('setSectionDefaults')}</h3>
        <ReadingFields value={draft.jobDefaults} onChange={setJob} pinned={(f) => pinned(`jobDefaults.${f}`)} />
        <OutputFields value={draft.jobDefaults} onChange={setJob} pinned={(f) => pinned(`jobDefaults.${f}`)} />
      </section>
      <section className="card" aria-labelledby="set-storage">
        <h3 id="set-storage">{t('setSectionStorage')}</h3>
        <TextField label={t('setDataDir')} hint={t('setDataDirHint')} value={view.dataDir} onChange={() => undefined} readOnly />
      </section>
      <div className="row end sticky-actions">
        <button type="button" className="button" onClick={() => setDraft(view.values)} disabled={saving}>
          {t('cancel')}
        </button>
        <button type="submit" className="button primary" disabled={saving}>
          {t('setSave')}
        </button>
      </div>
    </form>
  );
}
