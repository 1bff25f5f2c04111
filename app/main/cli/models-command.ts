/**
 * `ocr-desk models verify [dir]` checks every file of a model pack against the sha256 in its manifest;
 * `ocr-desk models import <folder>` verifies a pack and installs it into OCR Desk's data folder.
 */
import { importModelPack, loadModelPack, packFiles } from '../../node/model-pack.ts';

export interface CommandIo {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
}

/** Exit code 0 when the pack is intact, 1 when a file is missing or corrupt or the manifest is invalid. */
export async function verifyModels(dir: string, io: CommandIo): Promise<number> {
  try {
    const pack = await loadModelPack(dir, { verify: true });
    const n = packFiles(pack.manifest).length;
    io.stdout.write(`Model pack ${pack.manifest.id} (${pack.manifest.name}) at ${pack.dir}: all ${n} files match their sha256.\n`);
    return 0;
  } catch (error) {
    io.stderr.write(`${(error as Error).message}\n`);
    return 1;
  }
}

/** Exit code 0 when imported, 1 when the source pack does not verify or cannot be copied. */
export async function importModels(from: string, packsDir: string, io: CommandIo): Promise<number> {
  try {
    const pack = await importModelPack(from, packsDir);
    io.stdout.write(
      `Imported model pack ${pack.manifest.id} (${pack.manifest.name}) into ${pack.dir}.\n` +
        `Use it with --models "${pack.dir}" or OCR_DESK_MODELS="${pack.dir}".\n`,
    );
    return 0;
  } catch (error) {
    io.stderr.write(`${(error as Error).message}\n`);
    return 1;
  }
}
