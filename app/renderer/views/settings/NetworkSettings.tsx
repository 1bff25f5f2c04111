/**
 * Serving on the network: a switch between this machine only (127.0.0.1) and the network (an address, or 0.0.0.0
 * for every one), the port, the folders network clients may name, and how long documents are kept. Stored for
 * `ocr-desk serve`, which uses them when it next starts; values set by its flags or the environment are shown
 * pinned. Shown to the local admin only (a key's caller cannot read or change them).
 */
import { useCallback, useEffect, useId, useState, type FormEvent, type ReactNode } from 'react';
import type { NodeSettingsView } from '../../../common/api/access.ts';
import { CheckField, NumberField, TextField } from '../../components/Field.tsx';
import { useApp } from '../../context.tsx';

const LOOPBACK = '127.0.0.1';
const EVERY_ADDRESS = '0.0.0.0';

export function NetworkSettings(): ReactNode {
  const { client, t, attempt, notify } = useApp();
  const [view, setView] = useState<NodeSettingsView | null | 'hidden'>(null);
  const [draft, setDraft] = useState<NodeSettingsView['values'] | null>(null);
  const rootsId = useId();
  const load = useCallback(
    () =>
      void client.getNodeSettings().then(
        (v) => {
          setView(v);
          setDraft(v.values);
        },
        () => setView('hidden'),
      ),
    [client],
  );
  useEffect(load, [load]);
  if (view === 'hidden' || view === null || draft === null) return null;
  const pinned = (key: string) => {
    const source = view.sources[key];
    return source === 'environment' || source === 'command-line' ? t(`pinned_${source}`) : undefined;
  };
  const onNetwork = !/^(127\.|localhost$|::1$)/.test(draft.listen);
  const save = async (event: FormEvent) => {
    event.preventDefault();
    const patch = Object.fromEntries(Object.entries(draft).filter(([k, v]) => JSON.stringify(v) !== JSON.stringify(view.values[k as keyof typeof draft]) && !pinned(k)));
    if (Object.keys(patch).length === 0) return notify(t('setNoChanges'));
    const saved = await attempt(() => client.updateNodeSettings(patch));
    if (saved) {
      setView(saved);
      setDraft(saved.values);
      notify(t('netSaved'));
    }
  };
  return (
    <form className="card stack" onSubmit={(e) => void save(e)} aria-labelledby="set-network">
      <h3 id="set-network">{t('netTitle')}</h3>
      <CheckField
        label={t('netSwitch')}
        hint={t('netSwitchHint')}
        checked={onNetwork}
        onChange={(on) => setDraft({ ...draft, listen: on ? EVERY_ADDRESS : LOOPBACK })}
        pinned={pinned('listen')}
      />
      <div className="grid2">
        <TextField label={t('netAddress')} hint={t('netAddressHint')} value={draft.listen} onChange={(listen) => setDraft({ ...draft, listen })} required pinned={pinned('listen')} />
        <NumberField label={t('netPort')} value={draft.port} min={0} max={65535} onChange={(port) => port !== null && setDraft({ ...draft, port })} pinned={pinned('port')} />
        <NumberField label={t('netRetention')} hint={t('netRetentionHint')} value={draft.retentionDays} min={0} onChange={(d) => d !== null && setDraft({ ...draft, retentionDays: d })} pinned={pinned('retentionDays')} />
      </div>
      <div className="field">
        <label htmlFor={rootsId}>{t('netRoots')}</label>
        <textarea
          id={rootsId}
          rows={3}
          value={draft.allowedRoots.join('\n')}
          onChange={(e) => setDraft({ ...draft, allowedRoots: e.target.value.split('\n').map((l) => l.trim()).filter(Boolean) })}
          disabled={Boolean(pinned('allowedRoots'))}
          spellCheck={false}
          aria-describedby={`${rootsId}-hint`}
        />
        <span className="hint" id={`${rootsId}-hint`}>
          {pinned('allowedRoots') ?? t('netRootsHint')}
        </span>
      </div>
      {view.restartNeeded ? <p className="hint" role="status">{t('netRestart')}</p> : null}
      <div className="row end">
        <button type="submit" className="button">
          {t('netSave')}
        </button>
      </div>
    </form>
  );
}
