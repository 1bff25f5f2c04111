/** The change to send for a settings draft: only the fields that differ, or null when nothing does. */
import type { OperationInput } from '../../../common/api/operations.ts';
import type { ServiceSettings } from '../../../common/api/resources.ts';

export type SettingsPatch = OperationInput<'updateSettings'>;

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

export function changedSettings(before: ServiceSettings, after: ServiceSettings): SettingsPatch | null {
  const patch: Record<string, unknown> = {};
  for (const key of ['workers', 'threads', 'pageTimeoutMs', 'gpu', 'modelDir'] as const) {
    if (!same(before[key], after[key])) patch[key] = after[key];
  }
  const jobDefaults: Record<string, unknown> = {};
  for (const key of Object.keys(after.jobDefaults) as (keyof ServiceSettings['jobDefaults'])[]) {
    if (!same(before.jobDefaults[key], after.jobDefaults[key])) jobDefaults[key] = after.jobDefaults[key];
  }
  if (Object.keys(jobDefaults).length > 0) patch.jobDefaults = jobDefaults;
  return Object.keys(patch).length > 0 ? (patch as SettingsPatch) : null;
}
