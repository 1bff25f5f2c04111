/** The editor's keyboard map ("?"), from the same table the keys are handled by. */
import type { ReactNode } from 'react';
import { Dialog } from '../../components/Dialog.tsx';
import { useApp } from '../../context.tsx';
import type { MessageKey } from '../../i18n/messages-en.ts';

/** Each shortcut: the keys as shown, and what they do. */
export const KEY_MAP: readonly (readonly [keys: string, what: MessageKey])[] = [
  ['N / Shift+N', 'edKeyNextLow'],
  ['W', 'edKeyWorst'],
  ['→ / ←', 'edKeyWords'],
  ['↓ / ↑', 'edKeyLines'],
  ['A', 'edKeyAccept'],
  ['Enter / F2', 'edKeyEdit'],
  ['Enter, Escape', 'edKeyApply'],
  ['L', 'edKeyLine'],
  ['Delete', 'edKeyDelete'],
  ['S', 'edKeySplit'],
  ['M', 'edKeyMerge'],
  ['Alt+↑ / Alt+↓', 'edKeyMove'],
  ['R / Shift+R', 'edKeyBox'],
  ['Ctrl+Z / Ctrl+Shift+Z', 'edKeyUndo'],
  ['Ctrl+S', 'edKeySave'],
  ['Page Down / Page Up', 'edKeyPages'],
  ['Shift+Page Down', 'edKeyDocs'],
  ['+ / − / 0', 'edKeyZoom'],
  ['/ or Ctrl+F', 'edKeyFind'],
  ['?', 'edKeyHelp'],
];

export function HelpDialog(props: { onClose: () => void }): ReactNode {
  const { t } = useApp();
  return (
    <Dialog
      title={t('edHelpTitle')}
      onClose={props.onClose}
      wide
      footer={
        <button type="button" className="button primary" onClick={props.onClose} autoFocus>
          {t('close')}
        </button>
      }
    >
      {/* Scrolls by itself when the window is short, and can be scrolled from the keyboard. */}
      <div className="ed-keys-wrap" tabIndex={0} role="region" aria-label={t('edHelpTitle')}>
      <table className="ed-keys">
        <thead>
          <tr>
            <th scope="col">{t('edKeys')}</th>
            <th scope="col">{t('edKeyAction')}</th>
          </tr>
        </thead>
        <tbody>
          {KEY_MAP.map(([keys, what]) => (
            <tr key={what}>
              <td>
                <kbd>{keys}</kbd>
              </td>
              <td>{t(what)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      </div>
    </Dialog>
  );
}
