#!/usr/bin/env node
// Checks the electron-builder configuration where no Electron binary can be had (`npm run pack:check`):
//  1. packages the app for this platform with `electron-builder --dir`, using a stand-in Electron distribution (a
//     file carrying Electron's fuse sentinel and a fuse wire with Electron's defaults, instead of the real binary);
//  2. reads the fuse wire back from the packaged "binary": the configured fuses must have been flipped;
//  3. lists app.asar: the entry points, the preload bundle and the models are in, no dev dependency, test or build
//     script is, and the native modules' files are unpacked beside it;
//  4. extracts the package and runs it under this Node (24, standing in for the Node inside Electron): main.ts with
//     a stub for the 'electron' module (its whole module graph must load), the service host entry (it must load and
//     then say it needs a parent port), and a real OCR of one page through the packaged service and worker modules.
// What this cannot check: the real Electron binary (startup, asar integrity, the sandboxed preload, utility processes,
// the native modules under Electron's V8), the AppImage, deb, NSIS and dmg targets (their tools are downloaded).
import { Buffer } from 'node:buffer';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildPreload, root } from './build-electron.mjs';

// The packaged TypeScript is run by this Node: it must strip types (Node 24, as npm scripts get from node_modules).
if (!process.features.typescript) {
  const bundled = path.join(root, 'node_modules', 'node', 'bin', 'node');
  const again = spawnSync(bundled, [fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: 'inherit' });
  process.exit(again.status ?? 1);
}

const require = createRequire(import.meta.url);
const asar = require('@electron/asar');
const { getCurrentFuseWire, FuseV1Options } = require('@electron/fuses');

const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
// Electron's own defaults, one byte per fuse ('1' on, '0' off), in FuseV1Options order.
const DEFAULT_WIRE = '10110001';
const EXPECTED_FUSES = {
  RunAsNode: false,
  EnableCookieEncryption: true,
  EnableNodeOptionsEnvironmentVariable: false,
  EnableNodeCliInspectArguments: false,
  EnableEmbeddedAsarIntegrityValidation: true,
  OnlyLoadAppFromAsar: true,
  GrantFileProtocolExtraPrivileges: false,
};
const phototest = path.resolve(root, '..', 'shared', 'data', 'images', 'phototest.tif');
// A scanned PDF whose image is JBIG2: pdf.js, its decoders and the canvas must be in the package too.
const scannedPdf = path.resolve(root, '..', 'shared', 'data', 'pdfs', 'scanned', 'jbig2.pdf');

const keep = process.argv.includes('--keep');
const work = mkdtempSync(path.join(tmpdir(), 'ocr-desk-pack-'));
const problems = [];
const notes = [];
const check = (ok, what) => {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
  if (!ok) problems.push(what);
};

try {
  // ---- 1. package with a stand-in Electron ----
  await buildPreload();
  const dist = path.join(work, 'electron-dist');
  mkdirSync(dist, { recursive: true });
  const binaryName = { linux: 'electron', win32: 'electron.exe', darwin: 'Electron.app' }[process.platform];
  if (process.platform === 'darwin') throw new Error('On macOS, package with the real Electron (npm run dist:dir).');
  writeFileSync(
    path.join(dist, binaryName),
    Buffer.concat([Buffer.from('#!/bin/sh\necho "stand-in for Electron 45.4.1"\n'), Buffer.alloc(64), Buffer.from(SENTINEL), Buffer.from([1, DEFAULT_WIRE.length]), Buffer.from(DEFAULT_WIRE), Buffer.alloc(64)]),
  );
  chmodSync(path.join(dist, binaryName), 0o755);
  writeFileSync(path.join(dist, 'version'), 'v45.4.1');
  writeFileSync(path.join(dist, 'LICENSE'), '');
  const out = path.join(work, 'out');
  const platformFlag = { linux: '--linux', win32: '--win' }[process.platform];
  const builder = spawnSync(
    process.execPath,
    [require.resolve('electron-builder/cli.js'), '--config', 'build/electron-builder.yml', '--dir', platformFlag, `-c.electronDist=${dist}`, `-c.directories.output=${out}`],
    { cwd: root, encoding: 'utf8', env: { ...process.env, CSC_IDENTITY_AUTO_DISCOVERY: 'false' } },
  );
  process.stdout.write(builder.stdout.replace(/^/gm, '  | '));
  if (builder.status !== 0) {
    process.stderr.write(builder.stderr);
    throw new Error(`electron-builder --dir failed (exit ${builder.status})`);
  }
  const appDir = path.join(out, process.platform === 'win32' ? 'win-unpacked' : 'linux-unpacked');
  const resources = path.join(appDir, 'resources');
  const archive = path.join(resources, 'app.asar');
  check(existsSync(archive), 'electron-builder --dir made resources/app.asar');

  // ---- 2. fuses ----
  const executable = path.join(appDir, process.platform === 'win32' ? 'OCR Desk.exe' : 'ocr-desk');
  const wire = await getCurrentFuseWire(executable);
  for (const [name, on] of Object.entries(EXPECTED_FUSES)) {
    const state = wire[FuseV1Options[name]];
    check(state === (on ? 49 : 48), `fuse ${name} is ${on ? 'on' : 'off'}`);
  }

  // ---- 3. what is in the archive ----
  const files = new Set(asar.listPackage(archive, { isPack: false }).map((f) => f.replaceAll('\\', '/')));
  const has = (f) => files.has(f);
  const anyUnder = (dir) => [...files].some((f) => f.startsWith(dir));
  const pkg = JSON.parse(asar.extractFile(archive, 'package.json').toString('utf8'));
  check(has(`/${pkg.main}`), `package.json main (${pkg.main}) is in app.asar`);
  for (const f of ['/app/main/electron/host/service-host-main.ts', '/app/worker/worker-main.ts', '/dist/electron/preload.cjs', '/models/ppocr-v4-mobile/manifest.json', '/app/main/electron/assets/tray.png']) {
    check(has(f), `${f} is in app.asar`);
  }
  for (const dir of ['/node_modules/electron/', '/node_modules/typescript/', '/node_modules/eslint/', '/node_modules/esbuild/', '/node_modules/electron-builder/', '/node_modules/node/', '/node_modules/@gutenye/', '/test/', '/bench/', '/scripts/', '/build/', '/app/renderer/']) {
    check(!anyUnder(dir), `${dir} is not in app.asar`);
  }
  if (has('/dist/renderer/index.html')) check(true, 'the built renderer (dist/renderer) is in app.asar');
  else notes.push('dist/renderer is not built here (npm run build:ui), so the package would show its "not built" page.');
  const unpacked = path.join(resources, 'app.asar.unpacked');
  const ortDir = `node_modules/onnxruntime-node/bin/napi-v6/${process.platform}/${process.arch}`;
  const native = [
    `${ortDir}/onnxruntime_binding.node`,
    `node_modules/@img/sharp-${process.platform}-${process.arch}/lib/sharp-${process.platform}-${process.arch}-${JSON.parse(readFileSync(path.join(root, 'node_modules/sharp/package.json'), 'utf8')).version}.node`,
    'models/ppocr-v4-mobile/ch_PP-OCRv4_det_infer.onnx',
  ];
  if (process.platform === 'linux') native.push(`${ortDir}/libonnxruntime.so.1`, `node_modules/@img/sharp-libvips-linux-${process.arch}/lib`);
  for (const f of native) check(existsSync(path.join(unpacked, f)), `${f} is unpacked beside app.asar`);
  const otherOs = ['darwin', 'linux', 'win32'].filter((os) => os !== process.platform);
  const otherArch = ['x64', 'arm64'].filter((arch) => arch !== process.arch);
  check(
    otherOs.every((os) => !existsSync(path.join(unpacked, 'node_modules/onnxruntime-node/bin/napi-v6', os))) &&
      otherArch.every((arch) => !existsSync(path.join(unpacked, 'node_modules/onnxruntime-node/bin/napi-v6', process.platform, arch))),
    `no ONNX Runtime libraries of ${otherOs.join(' or ')}, nor of ${otherArch.join(' or ')}`,
  );

  // ---- 4. run the packaged modules ----
  const extracted = path.join(work, 'extracted');
  asar.extractAll(archive, extracted);
  const node = process.execPath;

  // main.ts with a stub 'electron' whose single-instance lock is taken: it must load everything and quit.
  const stub = path.join(work, 'electron-stub.mjs');
  writeFileSync(
    stub,
    `const stub = () => new Proxy(function () {}, { get: (_t, key) => (key === 'then' ? undefined : stub()), apply: () => stub(), construct: () => stub() });
export const app = { requestSingleInstanceLock: () => false, quit: () => console.log('electron-stub: quit (the lock is held elsewhere)') };
export const BrowserWindow = stub(), dialog = stub(), ipcMain = stub(), Menu = stub(), MessageChannelMain = stub(), nativeImage = stub(),
  Notification = stub(), protocol = stub(), screen = stub(), session = stub(), Tray = stub(), utilityProcess = stub();\n`,
  );
  const hooks = path.join(work, 'hooks.mjs');
  writeFileSync(hooks, `export async function resolve(s, c, next) { return s === 'electron' ? { url: ${JSON.stringify(pathToFileURL(stub).href)}, shortCircuit: true } : next(s, c); }\n`);
  const register = path.join(work, 'register.mjs');
  writeFileSync(register, `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(hooks).href)});\n`);
  const main = spawnSync(node, ['--import', pathToFileURL(register).href, path.join(extracted, pkg.main)], { encoding: 'utf8', timeout: 60_000 });
  check(main.status === 0 && main.stdout.includes('electron-stub: quit'), `the packaged ${pkg.main} loads all its modules (with a stub for 'electron')${main.status === 0 ? '' : `: ${main.stderr.trim().split('\n').slice(-3).join(' / ')}`}`);

  const host = spawnSync(node, [path.join(extracted, 'app/main/electron/host/service-host-main.ts')], { encoding: 'utf8', timeout: 60_000 });
  check(host.status === 2 && host.stderr.includes('utility process'), `the packaged service host loads and asks for its parent port (exit ${host.status})`);

  // A page and a scanned PDF through the packaged service and worker modules (forked workers stand in for utility processes).
  if (existsSync(phototest) && existsSync(scannedPdf)) {
    const dataDir = path.join(work, 'data');
    const script = `
      import { OcrService } from ${JSON.stringify(pathToFileURL(path.join(extracted, 'app/main/service/ocr-service.ts')).href)};
      const service = await OcrService.open({ dataDir: ${JSON.stringify(dataDir)}, env: { ...process.env, OCR_DESK_WORKERS: '1', OCR_DESK_THREADS: '1' }, hotFolders: false });
      try {
        const { jobId } = await service.addJob({ inputs: [${JSON.stringify(phototest)}, ${JSON.stringify(scannedPdf)}] });
        await service.idle();
        const job = await service.getJob({ jobId });
        const docs = [];
        for (const doc of job.documentList) {
          const result = doc.state === 'done' ? await service.getResult({ documentId: doc.id }) : undefined;
          docs.push({ name: doc.name, state: doc.state, error: doc.error, pages: result?.pages.length ?? 0, text: result ? result.pages.flatMap((p) => p.lines.map((l) => l.text)).join(' ') : '' });
        }
        console.log(JSON.stringify({ models: (await service.getSettings()).values.modelDir, docs }));
      } finally { await service.close(); }`;
    const run = spawnSync(node, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 300_000, cwd: work });
    let outcome;
    try {
      outcome = JSON.parse(run.stdout.trim().split('\n').at(-1));
    } catch {
      outcome = undefined;
    }
    if (!outcome) check(false, `the packaged service ran: ${run.stderr.trim().split('\n').slice(-3).join(' / ')}`);
    else {
      check(outcome.models.startsWith(extracted), `the packaged service used the packaged models (${path.relative(work, outcome.models)})`);
      const image = outcome.docs.find((d) => d.name === 'phototest.tif');
      check(image?.state === 'done' && /quick brown/i.test(image.text), `the packaged service and worker read phototest.tif: "${image?.text.slice(0, 60)}…"`);
      const pdf = outcome.docs.find((d) => d.name === 'jbig2.pdf');
      check(pdf?.state === 'done' && pdf.pages > 0, `the packaged worker rendered and read jbig2.pdf (pdf.js, JBIG2, canvas): ${pdf?.state} ${pdf?.error ? pdf.error.message : `${pdf?.pages} page(s), "${pdf?.text.slice(0, 40)}…"`}`);
    }
  } else notes.push(`${phototest} or ${scannedPdf} is missing: the packaged OCR run was skipped.`);

  const size = (p) => Number(execFileSync('du', ['-sk', p], { encoding: 'utf8' }).split('\t')[0]) * 1024;
  console.log(`\npackaged: app.asar ${(size(archive) / 1e6).toFixed(1)} MB, app.asar.unpacked ${(size(unpacked) / 1e6).toFixed(1)} MB, ${files.size} entries`);
  for (const note of notes) console.log(`note: ${note}`);
  if (keep) console.log(`kept: ${work}`);
} catch (error) {
  problems.push(error instanceof Error ? error.message : String(error));
  console.error(error);
} finally {
  if (!keep) rmSync(work, { recursive: true, force: true });
}
console.log(problems.length ? `\n${problems.length} problem(s).` : '\nThe packaging configuration checks out (as far as it can without Electron).');
process.exitCode = problems.length ? 1 : 0;
