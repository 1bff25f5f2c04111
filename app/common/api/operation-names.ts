/**
 * The names of the service operations as a plain list, for code that must not load zod or the schemas: the
 * sandboxed Electron preload, which exposes one verb per name. The type checks below keep it equal to the keys
 * of `OPERATIONS` in both directions (a name missing here, or one that is not an operation, fails `tsc`).
 */
import type { OperationName } from './operations.ts';

export const OPERATION_NAME_LIST = [
  'addJob',
  'uploadFiles',
  'listJobs',
  'getJob',
  'pauseJob',
  'resumeJob',
  'cancelJob',
  'retryJob',
  'setJobPriority',
  'retryFailed',
  'pauseQueue',
  'resumeQueue',
  'getProgress',
  'listDocuments',
  'getDocument',
  'getResult',
  'getPage',
  'getPageImage',
  'exportDocument',
  'exportDocuments',
  'deleteDocument',
  'search',
  'getVersions',
  'getPageVersion',
  'editPage',
  'revertPage',
  'revertDocument',
  'recogniseRegion',
  'rewriteOutputs',
  'reviewQueue',
  'listHotFolders',
  'addHotFolder',
  'updateHotFolder',
  'pauseHotFolder',
  'resumeHotFolder',
  'removeHotFolder',
  'retryHotFolder',
  'getSettings',
  'updateSettings',
  'getDiagnostics',
  'createApiKey',
  'listApiKeys',
  'revokeApiKey',
  'getAuditLog',
  'purgeDocuments',
  'deleteEverything',
  'getNodeSettings',
  'updateNodeSettings',
] as const satisfies readonly OperationName[];

type Listed = (typeof OPERATION_NAME_LIST)[number];
/** `true` only when every operation is listed; a missing one makes this `false` and the line below fail. */
type EveryOperationListed = [Exclude<OperationName, Listed>] extends [never] ? true : false;
const everyOperationListed: EveryOperationListed = true;
void everyOperationListed;
