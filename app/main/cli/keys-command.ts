/**
 * `ocr-desk keys …` and `ocr-desk purge …`. Keys are rows of the store: they are made, listed and revoked on the
 * data folder's database directly, so this works whether or not a service runs on it (a running service reads
 * keys from the store on every request: a revoked key fails at its next request). Purging deletes files and rows
 * with the service, here or in the one serving the data folder.
 */
import { DELETE_EVERYTHING_CONFIRMATION } from '../../common/api/access.ts';
import { OcrDeskError } from '../../common/errors.ts';
import { createKey, listKeys, revokeKey } from '../service/keys.ts';
import { webhookSecret } from '../service/network.ts';
import { Store } from '../store/store.ts';
import { connectService } from './connect.ts';
import type { CommandIo } from './models-command.ts';
import type { KeysCommand, PurgeCommand } from './node-options.ts';
import { displayText } from './summary.ts';

export async function runKeys(command: KeysCommand, io: CommandIo): Promise<number> {
  let store: Store | undefined;
  try {
    store = Store.inDir(command.dataDir);
    const out = (value: unknown, text: string) => io.stdout.write(command.json ? `${JSON.stringify(value)}\n` : text);
    switch (command.verb) {
      case 'create': {
        const made = createKey(store, { scopes: command.scopes, ...(command.name ? { name: command.name } : {}), ...(command.webhookUrl ? { webhookUrl: command.webhookUrl } : {}) });
        out(
          made,
          `Created API key ${made.id} (${displayText(made.name)}) with scopes ${made.scopes.join(', ')}.\n` +
            `Key (shown this once; only its hash is kept): ${made.key}\n` +
            `Webhook secret (signs this key's webhooks): ${made.webhookSecret}\n` +
            'Send it as: Authorization: Bearer <key>, or sign in with it at /login.\n',
        );
        return 0;
      }
      case 'list': {
        const keys = listKeys(store);
        if (command.json) for (const k of keys) io.stdout.write(`${JSON.stringify(k)}\n`);
        else if (keys.length === 0) io.stdout.write('No API keys yet: make one with `ocr-desk keys create --scope read`.\n');
        else {
          for (const k of keys) {
            const state = k.revokedAt ? `revoked ${k.revokedAt}` : k.lastUsedAt ? `last used ${k.lastUsedAt}` : 'never used';
            io.stdout.write(`${k.id}  ${k.scopes.join(',').padEnd(18)} ${displayText(k.name).padEnd(24)} created ${k.createdAt}  ${state}\n`);
          }
        }
        return 0;
      }
      case 'revoke': {
        const k = revokeKey(store, command.id);
        out(k, `Revoked API key ${k.id} (${displayText(k.name)}): it fails from its next request on.\n`);
        return 0;
      }
      case 'webhook-secret': {
        const secret = webhookSecret(store);
        out({ secret }, `${secret}\n`);
        return 0;
      }
    }
    return 2;
  } catch (error) {
    if (!(error instanceof OcrDeskError)) throw error;
    io.stderr.write(`ocr-desk: ${displayText(error.message)}\n`);
    return 2;
  } finally {
    store?.close();
  }
}

export async function runPurge(command: PurgeCommand, io: CommandIo & { signal?: AbortSignal | undefined; env: NodeJS.ProcessEnv }): Promise<number> {
  let connection;
  try {
    connection = await connectService({ dataDir: command.dataDir, env: io.env, hotFolders: false, warmUp: false, jobs: 'own' }, io);
    const result = command.everything
      ? await connection.client.deleteEverything({ confirm: DELETE_EVERYTHING_CONFIRMATION })
      : await connection.client.purgeDocuments({ olderThanDays: command.olderThanDays! });
    io.stdout.write(`Deleted ${result.documents} document(s) and ${result.deletedFiles} file(s) made from them${connection.remoteUrl ? ` (by the service at ${connection.remoteUrl})` : ''}.\n`);
    return 0;
  } catch (error) {
    if (!(error instanceof OcrDeskError)) throw error;
    io.stderr.write(`ocr-desk: ${displayText(error.message)}\n`);
    return 2;
  } finally {
    await connection?.close();
  }
}
