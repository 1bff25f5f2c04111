/**
 * `ocr-desk search "<words>"`: a query, so it needs no lock. When a service advertises itself on the data folder
 * it is asked; otherwise the store is read directly (SQLite's WAL lets readers in while a batch writes).
 */
import { createHttpClient } from '../../common/api/http-client.ts';
import type { SearchHit } from '../../common/api/resources.ts';
import { OcrDeskError } from '../../common/errors.ts';
import { readAdvertisement } from '../service/advertise.ts';
import { Store } from '../store/store.ts';
import path from 'node:path';
import type { CommandIo } from './models-command.ts';
import { displayText } from './summary.ts';
import type { SearchCommand } from './watch-options.ts';

export async function runSearch(command: SearchCommand, io: CommandIo): Promise<number> {
  let hits: SearchHit[];
  try {
    hits = await find(command);
  } catch (error) {
    if (!(error instanceof OcrDeskError)) throw error;
    io.stderr.write(`ocr-desk: ${displayText(error.message)}\n`);
    return 2;
  }
  for (const h of hits) io.stdout.write(command.json ? `${JSON.stringify(h)}\n` : `${displayText(h.path)}\n    ${displayText(h.snippet)}\n`);
  if (hits.length === 0 && !command.json) io.stderr.write(`No processed document contains “${displayText(command.words)}”.\n`);
  return hits.length > 0 ? 0 : 1;
}

async function find(command: SearchCommand): Promise<SearchHit[]> {
  const ad = await readAdvertisement(command.dataDir);
  if (ad) {
    try {
      return (await createHttpClient({ baseUrl: ad.url, token: ad.token }).search({ q: command.words, limit: command.limit })).hits;
    } catch (error) {
      if (error instanceof OcrDeskError && error.kind !== 'internal') throw error;
      // Not answering (it stopped without cleaning up): read the store instead.
    }
  }
  const store = Store.inDir(command.dataDir);
  try {
    return store.search(command.words, command.limit).map((h) => ({ documentId: h.documentId, path: h.path, name: path.basename(h.path), snippet: h.snippet }));
  } finally {
    store.close();
  }
}
