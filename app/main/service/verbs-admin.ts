/**
 * The service's hot-folder, settings and administration verbs: watched folders; settings and diagnostics; API keys,
 * the audit log, retention and "delete everything"; how `ocr-desk serve` serves the network.
 */
import type { OperationOutput } from '../../common/api/operations.ts';
import { ForbiddenError, InvalidOptionError } from '../../common/errors.ts';
import { loadModelPack } from '../../node/model-pack.ts';
import { currentCaller } from './caller.ts';
import type { ServiceContext, Verbs } from './context.ts';
import { diagnostics, gpuStatus } from './diagnostics.ts';
import { createKey, listKeys, revokeKey } from './keys.ts';
import { auditLog } from './network.ts';
import { isLanAddress, nodeSettingsState, storeNodeSettings, STORED_NODE_SETTINGS_KEY } from './node-settings.ts';
import { purgeEverything, purgeOlderThan, type PurgeResult } from './retention.ts';
import { resolveServiceSettings, settingsFromEnv, storablePatch, STORED_SETTINGS_KEY, type SettingsPatch } from './service-settings.ts';

type AdminVerb =
  | 'listHotFolders'
  | 'addHotFolder'
  | 'updateHotFolder'
  | 'pauseHotFolder'
  | 'resumeHotFolder'
  | 'removeHotFolder'
  | 'retryHotFolder'
  | 'getSettings'
  | 'updateSettings'
  | 'getDiagnostics'
  | 'createApiKey'
  | 'listApiKeys'
  | 'revokeApiKey'
  | 'getAuditLog'
  | 'purgeDocuments'
  | 'deleteEverything'
  | 'getNodeSettings'
  | 'updateNodeSettings';

/** How long diagnostics wait for a starting worker to say where its models run (a worker starts in 1–5 s). */
const DEVICE_REPORT_WAIT_MS = 15_000;

function purged(ctx: ServiceContext, result: PurgeResult): OperationOutput<'purgeDocuments'> {
  for (const documentId of result.ids) ctx.events.emit({ type: 'document-deleted', documentId });
  ctx.progress();
  return { documents: result.documents, deletedFiles: result.deletedFiles };
}

function nodeLayers(ctx: ServiceContext) {
  return { commandLine: ctx.options.node?.commandLine ?? {}, env: ctx.options.env ?? process.env, stored: ctx.store.setting(STORED_NODE_SETTINGS_KEY) };
}

function nodeView(ctx: ServiceContext): OperationOutput<'getNodeSettings'> {
  const state = nodeSettingsState(nodeLayers(ctx));
  const running = ctx.options.node?.running;
  const lan = isLanAddress(state.values.listen, ctx.options.env ?? process.env);
  const restartNeeded = running !== undefined && (['listen', 'port', 'allowedRoots', 'retentionDays'] as const).some((k) => JSON.stringify(running[k]) !== JSON.stringify(state.values[k]));
  return { values: { ...state.values, allowedRoots: [...state.values.allowedRoots] }, sources: state.sources, lan, restartNeeded };
}

export const adminVerbs: Verbs<AdminVerb> = {
  // ---- hot folders ----

  async listHotFolders(ctx) {
    return { hotFolders: ctx.hotFolders.list() };
  },

  async addHotFolder(ctx, { settings }) {
    await ctx.network.checkPaths([settings.folder, settings.out]);
    return ctx.hotFolders.info(await ctx.hotFolders.add(settings));
  },

  async updateHotFolder(ctx, { hotFolderId, settings }) {
    await ctx.network.checkPaths([settings.folder, settings.out]);
    return ctx.hotFolders.info(await ctx.hotFolders.update(hotFolderId, settings));
  },

  async pauseHotFolder(ctx, { hotFolderId }) {
    await ctx.hotFolders.setEnabled(hotFolderId, false);
    return ctx.hotFolders.info(hotFolderId);
  },

  async resumeHotFolder(ctx, { hotFolderId }) {
    await ctx.hotFolders.setEnabled(hotFolderId, true);
    return ctx.hotFolders.info(hotFolderId);
  },

  async removeHotFolder(ctx, { hotFolderId }) {
    await ctx.hotFolders.remove(hotFolderId);
    ctx.events.emit({ type: 'hot-folder-removed', hotFolderId });
    return { ok: true };
  },

  async retryHotFolder(ctx, { hotFolderId }) {
    return { files: await ctx.hotFolders.retryFailed(hotFolderId) };
  },

  // ---- settings and diagnostics ----

  async getSettings(ctx) {
    return { ...ctx.settings(), dataDir: ctx.dataDir };
  },

  /** A new worker count, thread count, timeout, GPU switch or model pack starts new workers (the old ones finish their pages). */
  async updateSettings(ctx, input) {
    const patch = storablePatch(input, ctx.settings());
    await ctx.network.checkPaths([patch.modelDir]);
    const storedText = ctx.store.setting(STORED_SETTINGS_KEY);
    const stored = (storedText === undefined ? {} : JSON.parse(storedText)) as SettingsPatch;
    const merged: SettingsPatch = { ...stored, ...patch, jobDefaults: { ...stored.jobDefaults, ...patch.jobDefaults } };
    const next = resolveServiceSettings({ stored: merged, environment: settingsFromEnv(ctx.options.env ?? process.env), commandLine: ctx.options.commandLine });
    const pack = next.values.modelDir !== ctx.settings().values.modelDir ? await loadModelPack(next.values.modelDir, { verify: true }) : ctx.pack();
    ctx.store.setSetting(STORED_SETTINGS_KEY, JSON.stringify(merged));
    ctx.store.audit('settings-changed', null, null, JSON.stringify(patch));
    ctx.applySettings(next, pack);
    const view = { ...next, dataDir: ctx.dataDir };
    ctx.events.emit({ type: 'settings', settings: view });
    return view;
  },

  async getDiagnostics(ctx) {
    const enabled = ctx.settings().values.gpu;
    const pool = ctx.pool();
    // Only a worker knows whether the GPU works (it tries when it loads its models): wait for one if none has yet.
    if (enabled) await pool.whenDeviceKnown(DEVICE_REPORT_WAIT_MS);
    const stats = pool.stats();
    return diagnostics({
      store: ctx.store,
      dataDir: ctx.dataDir,
      pack: ctx.pack(),
      pool: stats,
      gpu: gpuStatus(enabled, [...stats.workers.map((w) => w.device), pool.device]),
      errors: ctx.errors,
      logFile: null,
    });
  },

  // ---- access, audit and retention ----

  async createApiKey(ctx, input) {
    if (input.webhookUrl !== undefined) ctx.network.checkWebhook(input.webhookUrl);
    return createKey(ctx.store, input);
  },

  async listApiKeys(ctx) {
    return { keys: listKeys(ctx.store) };
  },

  async revokeApiKey(ctx, { keyId }) {
    return revokeKey(ctx.store, keyId);
  },

  async getAuditLog(ctx, input) {
    return { entries: auditLog(ctx.store, input) };
  },

  async purgeDocuments(ctx, { olderThanDays }) {
    const days = olderThanDays ?? ctx.network.options.retentionDays;
    if (days === undefined || (olderThanDays === undefined && days <= 0)) {
      throw new InvalidOptionError('No retention is set: say how old a document must be (olderThanDays, ocr-desk purge --older-than-days N), or set --retention-days.');
    }
    return purged(ctx, await purgeOlderThan(ctx.store, ctx.cacheDir(), days));
  },

  async deleteEverything(ctx) {
    await ctx.queue.cancel();
    await ctx.queue.idle();
    return purged(ctx, await purgeEverything(ctx.store, ctx.cacheDir()));
  },

  async getNodeSettings(ctx) {
    return nodeView(ctx);
  },

  /** Stores how `ocr-desk serve` serves the network; only the local admin may (a key could widen its own reach). */
  async updateNodeSettings(ctx, patch) {
    if (!currentCaller().localAdmin) throw new ForbiddenError("Only this machine's admin (the app, or the token OCR Desk printed) may change how it serves the network.");
    const next = storeNodeSettings(nodeLayers(ctx), patch);
    ctx.store.setSetting(STORED_NODE_SETTINGS_KEY, next);
    ctx.store.audit('node-settings-changed', null, null, JSON.stringify(patch));
    return nodeView(ctx);
  },
};
