/**
 * API keys for a LAN node: make one (its key is shown once: only its hash is kept), see each key's scopes and last
 * use, revoke one (it fails from its next request on). Shown to admins only: another caller's listApiKeys is
 * refused, and the section stays away.
 */
import { useCallback, useEffect, useState, type FormEvent, type ReactNode } from 'react';
import type { ApiKeyView, Scope } from '../../../common/api/access.ts';
import { CheckGroup, TextField } from '../../components/Field.tsx';
import { useApp } from '../../context.tsx';
import { formatTime } from '../../i18n/i18n.ts';

const SCOPE_LIST: readonly Scope[] = ['read', 'submit', 'admin'];

export function AccessKeys(): ReactNode {
  const { client, t, attempt, notify, language } = useApp();
  const [keys, setKeys] = useState<ApiKeyView[] | null | 'forbidden'>(null);
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<Scope[]>(['read', 'submit']);
  const [made, setMade] = useState<{ id: string; key: string; webhookSecret: string } | null>(null);
  const load = useCallback(() => void client.listApiKeys().then((r) => setKeys(r.keys), () => setKeys('forbidden')), [client]);
  useEffect(load, [load]);
  if (keys === 'forbidden') return null;

  const create = async (event: FormEvent) => {
    event.preventDefault();
    const result = await attempt(() => client.createApiKey({ scopes, ...(name.trim() ? { name: name.trim() } : {}) }));
    if (!result) return;
    setMade({ id: result.id, key: result.key, webhookSecret: result.webhookSecret });
    setName('');
    load();
  };
  const revoke = async (k: ApiKeyView) => {
    if (await attempt(() => client.revokeApiKey({ keyId: k.id }))) {
      notify(t('keysRevoked', { name: k.name }));
      load();
    }
  };

  return (
    <section className="card" aria-labelledby="set-keys">
      <h3 id="set-keys">{t('keysTitle')}</h3>
      <p className="hint">{t('keysIntro')}</p>
      <form className="stack" onSubmit={(e) => void create(e)} aria-label={t('keysCreate')}>
        <div className="grid2">
          <TextField label={t('keysName')} value={name} onChange={setName} />
          <CheckGroup label={t('keysScopes')} values={scopes} options={SCOPE_LIST.map((s) => ({ value: s, label: t(`scope_${s}`) }))} onChange={setScopes} />
        </div>
        <div className="row end">
          <button type="submit" className="button" disabled={scopes.length === 0}>
            {t('keysCreate')}
          </button>
        </div>
      </form>
      {made ? (
        <div className="key-made" role="status">
          <p>{t('keysMade', { id: made.id })}</p>
          <p className="mono">{made.key}</p>
          <p className="hint">{t('keysWebhookSecret')}</p>
          <p className="mono">{made.webhookSecret}</p>
        </div>
      ) : null}
      {keys === null ? (
        <p className="empty">{t('loading')}</p>
      ) : keys.length === 0 ? (
        <p className="empty">{t('keysNone')}</p>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('keysName')}</th>
                <th scope="col">{t('keysScopes')}</th>
                <th scope="col">{t('keysCreatedAt')}</th>
                <th scope="col">{t('keysLastUsed')}</th>
                <th scope="col">{t('keysState')}</th>
              </tr>
            </thead>
            <tbody>
              {keys.map((k) => (
                <tr key={k.id}>
                  <td>
                    {k.name} <span className="mono hint">{k.id}</span>
                  </td>
                  <td>{k.scopes.map((s) => t(`scope_${s}`)).join(', ')}</td>
                  <td>{formatTime(k.createdAt, language)}</td>
                  <td>{k.lastUsedAt ? formatTime(k.lastUsedAt, language) : t('keysNever')}</td>
                  <td>
                    {k.revokedAt ? (
                      t('keysRevokedAt', { when: formatTime(k.revokedAt, language) })
                    ) : (
                      <button type="button" className="button small" aria-label={t('keysRevokeLabel', { name: k.name })} onClick={() => void revoke(k)}>
                        {t('keysRevoke')}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
