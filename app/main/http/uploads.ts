/**
 * Streamed multipart uploads (`POST /v1/uploads`): each file part goes straight to disk in a new upload folder
 * (never held in memory), with limits on file size, file count and field size. The `settings` field (JSON, the
 * job settings), `priority` and `idempotencyKey` fields (or the `Idempotency-Key` header) may come in any order.
 * A request that breaks off or exceeds a limit leaves nothing behind.
 */
import { createWriteStream } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import busboy from 'busboy';
import { InvalidOptionError, PayloadTooLargeError } from '../../common/errors.ts';
import { webhookUrlSchema } from '../../common/api/access.ts';
import { jobSettingsPatchSchema, type JobSettingsPatch } from '../../common/job-settings.ts';
import { parseSettings } from '../../common/validate.ts';
import { newUploadDir, safeUploadName } from '../service/jobs.ts';
import { discardUpload } from '../service/ocr-service.ts';

export interface UploadLimits {
  /** Largest file accepted. @default 512 MiB */
  readonly maxFileBytes?: number;
  /** Most files in one upload. @default 1000 */
  readonly maxFiles?: number;
}

export interface ReceivedUpload {
  readonly dir: string;
  readonly files: { path: string; name: string }[];
  readonly settings: JobSettingsPatch | undefined;
  readonly priority: number | undefined;
  readonly idempotencyKey: string | undefined;
  readonly label: string | undefined;
  readonly webhookUrl: string | undefined;
}

const MiB = 1024 * 1024;

export async function receiveUpload(req: IncomingMessage, dataDir: string, limits: UploadLimits = {}): Promise<ReceivedUpload> {
  const maxFileBytes = limits.maxFileBytes ?? 512 * MiB;
  const maxFiles = limits.maxFiles ?? 1000;
  if (!req.headers['content-type']?.toLowerCase().startsWith('multipart/form-data')) {
    throw new InvalidOptionError('An upload is sent as multipart/form-data: a `settings` field (JSON, optional) and one or more `file` parts.');
  }
  let parser: busboy.Busboy;
  try {
    parser = busboy({ headers: req.headers, limits: { fileSize: maxFileBytes, files: maxFiles, fields: 20, fieldSize: 64 * 1024, parts: maxFiles + 20 } });
  } catch (error) {
    throw new InvalidOptionError(`The upload's multipart header is invalid (${(error as Error).message}).`);
  }
  const dir = await newUploadDir(dataDir);
  const files: { path: string; name: string }[] = [];
  const fields: Record<string, string> = {};
  const writes: Promise<void>[] = [];
  const streams: NodeJS.ReadableStream[] = [];
  const taken = new Set<string>();
  let failure: Error | undefined;
  let stop: (error: Error) => void = () => undefined;
  const fail = (error: Error) => {
    failure ??= error;
    req.unpipe(parser);
    // The parser will not finish now: answer at once (the adapter drains what the client still sends).
    stop(error);
  };

  parser.on('file', (_field, stream, info) => {
    const name = info.filename ?? 'upload';
    const file = path.join(dir, safeUploadName(name, taken));
    files.push({ path: file, name });
    streams.push(stream);
    stream.on('limit', () => fail(new PayloadTooLargeError(`${name} is larger than the ${Math.round(maxFileBytes / MiB)} MiB an upload may be. Split it, or raise the limit.`)));
    // A part that breaks off (the form ends inside it) is the client's doing; a disk error is ours.
    writes.push(pipeline(stream, createWriteStream(file)).catch((error: NodeJS.ErrnoException) => fail(error.code?.startsWith('E') && !error.code.startsWith('ERR_') ? error : new InvalidOptionError(`The upload is not valid multipart data (${error.message}).`))));
  });
  parser.on('field', (name, value, info) => {
    if (info.valueTruncated) fail(new PayloadTooLargeError(`The upload's \`${name}\` field is too long.`));
    fields[name] = value;
  });
  parser.on('filesLimit', () => fail(new PayloadTooLargeError(`An upload may hold at most ${maxFiles} files.`)));
  parser.on('partsLimit', () => fail(new PayloadTooLargeError('The upload has too many parts.')));
  parser.on('fieldsLimit', () => fail(new PayloadTooLargeError('The upload has too many fields.')));

  try {
    await new Promise<void>((resolve, reject) => {
      stop = reject;
      if (failure) return reject(failure);
      parser.on('close', resolve);
      parser.on('error', (error: Error) => reject(new InvalidOptionError(`The upload is not valid multipart data (${error.message}).`)));
      req.on('aborted', () => reject(new InvalidOptionError('The upload was broken off before it was complete.')));
      req.on('error', reject);
      req.pipe(parser);
    });
    await Promise.all(writes);
    if (failure) throw failure;
    if (files.length === 0) throw new InvalidOptionError('The upload holds no files: send one or more `file` parts.');
    return {
      dir,
      files,
      settings: fields.settings === undefined ? undefined : parseSettings(jobSettingsPatchSchema, parseJson(fields.settings), 'settings.'),
      priority: fields.priority === undefined ? undefined : Number(fields.priority),
      idempotencyKey: (req.headers['idempotency-key'] as string | undefined) ?? fields.idempotencyKey,
      label: fields.label?.slice(0, 200) || undefined,
      webhookUrl: fields.webhookUrl === undefined ? undefined : parseSettings(webhookUrlSchema, fields.webhookUrl, 'webhookUrl'),
    };
  } catch (error) {
    // Parts cut off by the failure never end by themselves.
    for (const st of streams) (st as unknown as { destroy(): void }).destroy();
    await Promise.allSettled(writes);
    await discardUpload(dir);
    throw failure ?? error;
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new InvalidOptionError('The upload\'s `settings` field is not valid JSON.');
  }
}
