/** Adding or editing a hot folder, with all its settings (app/common/hot-folder-settings.ts), in a dialog. */
import { useState, type ReactNode } from 'react';
import type { HotFolderInfo } from '../../../common/api/resources.ts';
import { ORIGINALS_ACTIONS } from '../../../common/hot-folder-settings.ts';
import { Dialog } from '../../components/Dialog.tsx';
import { CheckField, NumberField, SelectField, TextField } from '../../components/Field.tsx';
import { OutputFields, ReadingFields } from '../../components/JobSettingsFields.tsx';
import { useApp, useServiceState } from '../../context.tsx';
import { changedPatch, draftOf, fullPatch, newDraft, type HotFolderDraft } from './hot-folder-draft.ts';

export function HotFolderForm(props: { editing: HotFolderInfo | null; onClose: () => void }): ReactNode {
  const { client, t, attempt } = useApp();
  const defaults = useServiceState().settings?.values.jobDefaults;
  const [initial] = useState(() => (props.editing ? draftOf(props.editing) : newDraft(defaults)));
  const [d, setD] = useState<HotFolderDraft>(initial);
  const [busy, setBusy] = useState(false);
  const set = <K extends keyof HotFolderDraft>(key: K, value: HotFolderDraft[K]) => setD((x) => ({ ...x, [key]: value }));
  const { editing } = props;

  const save = async () => {
    setBusy(true);
    try {
      if (editing) {
        const patch = changedPatch(initial, d);
        if (patch && !(await attempt(() => client.updateHotFolder({ hotFolderId: editing.id, settings: patch })))) return;
      } else if (!(await attempt(() => client.addHotFolder({ settings: fullPatch(d) })))) {
        return;
      }
      props.onClose();
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog
      wide
      title={editing ? t('hfEditTitle', { folder: editing.settings.folder }) : t('hfAddTitle')}
      onClose={props.onClose}
      onSubmit={() => void save()}
      footer={
        <>
          <button type="button" className="button" onClick={props.onClose}>
            {t('cancel')}
          </button>
          <button type="submit" className="button primary" disabled={busy}>
            {editing ? t('save') : t('fAdd')}
          </button>
        </>
      }
    >
      <fieldset className="section">
        <legend>{t('fSectionWatch')}</legend>
        <TextField label={t('fFolder')} hint={t('fFolderHint')} value={d.folder} onChange={(v) => set('folder', v)} required autoFocus placeholder="/srv/scans/inbox" />
        <TextField label={t('fOut')} value={d.out} onChange={(v) => set('out', v)} required placeholder="/srv/scans/text" />
        <CheckField label={t('fRecursive')} checked={d.recursive} onChange={(v) => set('recursive', v)} />
      </fieldset>
      <fieldset className="section">
        <legend>{t('fSectionFind')}</legend>
        <div className="grid2">
          <TextField label={t('fInclude')} hint={t('fIncludeHint')} value={d.include} onChange={(v) => set('include', v)} placeholder="*.tif, *.pdf" />
          <TextField label={t('fExclude')} value={d.exclude} onChange={(v) => set('exclude', v)} />
          <SelectField label={t('fOriginals')} value={d.originals} options={ORIGINALS_ACTIONS.map((o) => ({ value: o, label: t(`orig_${o}`) }))} onChange={(v) => set('originals', v)} />
          <NumberField label={t('fPriority')} value={d.priority} min={-1000} max={1000} onChange={(v) => v !== null && set('priority', v)} />
          <NumberField label={t('fStableMs')} value={d.stableMs} min={0} onChange={(v) => v !== null && set('stableMs', v)} />
          <NumberField label={t('fPollMs')} hint={t('fPollHint')} value={d.pollMs} min={0} onChange={(v) => v !== null && set('pollMs', v)} />
          <NumberField label={t('fRescanMs')} value={d.rescanMs} min={100} onChange={(v) => v !== null && set('rescanMs', v)} />
        </div>
      </fieldset>
      <fieldset className="section">
        <legend>{t('fSectionRead')}</legend>
        <ReadingFields value={d} onChange={(v) => setD((x) => ({ ...x, ...v }))} />
        <TextField label={t('fPassword')} type="password" hint={editing?.settings.passwordSet ? t('fPasswordSet') : undefined} value={d.password} onChange={(v) => set('password', v)} />
      </fieldset>
      <fieldset className="section">
        <legend>{t('fSectionOutput')}</legend>
        <OutputFields value={d} onChange={(v) => setD((x) => ({ ...x, ...v }))} />
      </fieldset>
    </Dialog>
  );
}
