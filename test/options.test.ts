import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { InvalidOptionError } from '../app/common/errors.ts';
import { expectInteger, parseBooleanText, parseIntegerText } from '../app/common/options.ts';
import { parseCommandLine } from '../app/main/cli/options.ts';
import { resolvePoolOptions } from '../app/main/pool/pool-options.ts';
import { cacheDir, dataDir, envName } from '../app/main/settings.ts';

const invalid = (message: string | RegExp) => (error: unknown) => {
  assert.ok(error instanceof InvalidOptionError, `expected InvalidOptionError, got ${String(error)}`);
  if (typeof message === 'string') assert.equal(error.message, message);
  else assert.match(error.message, message);
  return true;
};

describe('option validation', () => {
  it('names the option, the expectation and the value', () => {
    assert.throws(() => expectInteger('workers', 0, 1), invalid('Expected `workers` to be an integer >= 1, got `0`'));
    assert.throws(() => expectInteger('workers', 1.5, 1), invalid('Expected `workers` to be an integer >= 1, got `1.5`'));
    assert.throws(() => expectInteger('threads', '2', 1, 8), invalid('Expected `threads` to be an integer between 1 and 8, got `"2"`'));
    assert.throws(() => parseIntegerText('--workers', 'two', 1), invalid('Expected `--workers` to be an integer >= 1, got `two`'));
    assert.throws(() => parseIntegerText('OCR_DESK_MAX_PIXELS', '1e8', 1), invalid(/OCR_DESK_MAX_PIXELS.*got `1e8`/));
    assert.equal(parseIntegerText('n', '100_000_000', 1), 100_000_000);
    assert.equal(parseBooleanText('b', 'Yes'), true);
    assert.equal(parseBooleanText('b', '0'), false);
  });

  it('pool options: defaults follow the CPU budget', () => {
    assert.deepEqual(pick(resolvePoolOptions({}, 8)), { workers: 8, threads: 1 });
    assert.deepEqual(pick(resolvePoolOptions({ workers: 2 }, 8)), { workers: 2, threads: 4 });
    assert.deepEqual(pick(resolvePoolOptions({ threads: 4 }, 8)), { workers: 2, threads: 4 });
    // Asking for more workers than cores leaves one thread each.
    assert.deepEqual(pick(resolvePoolOptions({ workers: 12 }, 8)), { workers: 12, threads: 1 });
    assert.deepEqual(pick(resolvePoolOptions({ workers: 3, threads: 3, oversubscribe: true }, 8)), { workers: 3, threads: 3 });
    assert.throws(() => resolvePoolOptions({ workers: 3, threads: 3 }, 8), invalid(/at most 8 \(the CPU cores\), got 3 × 3 = 9/));
    assert.throws(() => resolvePoolOptions({ workers: 0 }), invalid('Expected `workers` to be an integer between 1 and 256, got `0`'));
    assert.throws(() => resolvePoolOptions({ pageTimeoutMs: -5 }), invalid('Expected `pageTimeoutMs` to be an integer >= 1, got `-5`'));
    assert.equal(resolvePoolOptions({ workers: 2 }, 2).maxRssBytes, 640 * 1024 * 1024); // 1.25 GiB / 2
    assert.equal(resolvePoolOptions({ workers: 4 }, 4).maxRssBytes, 576 * 1024 * 1024); // the floor
  });
});

function pick(o: { workers: number; threads: number }) {
  return { workers: o.workers, threads: o.threads };
}

describe('command line', () => {
  it('parses an OCR run, flags winning over the environment', () => {
    const env = { OCR_DESK_WORKERS: '3', OCR_DESK_THREADS: '1', OCR_DESK_FORMAT: 'txt', OCR_DESK_MAX_PIXELS: '5000', OCR_DESK_NO_ROTATE: '1' };
    const c = parseCommandLine(['a', 'b/', '--out', 'o', '--workers', '2', '--summary-json', 's.json'], env);
    assert.equal(c.kind, 'ocr');
    if (c.kind !== 'ocr') return;
    assert.deepEqual(c.inputs, ['a', 'b/']);
    assert.equal(c.out, 'o');
    assert.deepEqual(c.service, { workers: 2 }, 'only flags are command-line settings; the service reads OCR_DESK_THREADS itself');
    assert.deepEqual(c.settings, { formats: ['txt'], maxPixels: 5000, autoRotate: false });
    assert.equal(c.summaryJson, 's.json');
    assert.equal(c.force, false);
  });

  it('sets only what was given: the rest comes from the service’s job defaults', () => {
    const c = parseCommandLine(['x', '-o', 'out'], {});
    assert.ok(c.kind === 'ocr');
    assert.deepEqual(c.settings, {});
    assert.deepEqual(c.service, {});
    assert.equal(parseCommandLine(['x', '-o', 'out', '--force'], {}).kind === 'ocr' && (parseCommandLine(['x', '-o', 'out', '--force'], {}) as { force: boolean }).force, true);
  });

  it('reads the output folder and model folder', () => {
    const c = parseCommandLine(['x', '--models', '/packs/p'], { OCR_DESK_OUT: '/tmp/o' });
    assert.ok(c.kind === 'ocr');
    assert.equal(c.out, '/tmp/o');
    assert.equal(c.service.modelDir, path.resolve('/packs/p'));
  });

  it('reports usage mistakes naming the flag or variable', () => {
    assert.throws(() => parseCommandLine(['x'], {}), invalid(/No output folder: pass --out <dir> \(or set OCR_DESK_OUT\)/));
    assert.throws(() => parseCommandLine(['--out', 'o'], {}), invalid(/^No input files or folders given/));
    assert.throws(() => parseCommandLine(['x', '--out', 'o', '--workers', '0'], {}), invalid('Expected `--workers` to be an integer between 1 and 64, got `0`'));
    assert.throws(() => parseCommandLine(['x', '--out', 'o'], { OCR_DESK_THREADS: 'many' }), invalid('Expected `OCR_DESK_THREADS` to be an integer between 1 and 256, got `many`'));
    assert.throws(() => parseCommandLine(['x', '--out', 'o', '--format', 'json,docx'], {}), invalid(/`--format` to be a comma-separated list of txt, json, hocr, alto, md, csv, pdf, got `json,docx`/));
    assert.throws(() => parseCommandLine(['x', '--out', 'o', '--bogus'], {}), invalid('Unknown option `--bogus`.'));
    assert.throws(() => parseCommandLine(['models', 'import'], {}), invalid(/needs the folder/));
    assert.throws(() => parseCommandLine(['models', 'frobnicate'], {}), invalid('Unknown command `models frobnicate`: use `models verify [folder]` or `models import <folder>`.'));
    assert.throws(() => parseCommandLine(['x', '--out', 'o', '--pdfa'], {}), invalid(/makes the searchable PDF a PDF\/A, but no PDF is written: add pdf to the formats/));
  });

  it('reads the PDF options from flags and the environment', () => {
    const c = parseCommandLine(['x', '--out', 'o', '--format', 'pdf,alto,hocr,md,csv', '--pdf-mode', 'redo', '--pdf-dpi', '200', '--password', 's3cret', '--pdfa'], {});
    assert.ok(c.kind === 'ocr');
    assert.deepEqual(c.settings, { formats: ['pdf', 'alto', 'hocr', 'md', 'csv'], pdfMode: 'redo', pdfDpi: 200, password: 's3cret', pdfa: true });
    const e = parseCommandLine(['x', '--out', 'o'], { OCR_DESK_PDF_MODE: 'force', OCR_DESK_PDF_DPI: '150', OCR_DESK_PASSWORD: 'pw', OCR_DESK_PDFA: '1', OCR_DESK_FORMAT: 'pdf' });
    assert.ok(e.kind === 'ocr');
    assert.deepEqual(e.settings, { formats: ['pdf'], pdfMode: 'force', pdfDpi: 150, password: 'pw', pdfa: true });
    assert.throws(() => parseCommandLine(['x', '--out', 'o', '--pdf-mode', 'maybe'], {}), invalid('Expected `--pdf-mode` to be one of skip, force, redo, got `maybe`'));
    assert.throws(() => parseCommandLine(['x', '--out', 'o'], { OCR_DESK_PDF_DPI: '5' }), invalid(/`OCR_DESK_PDF_DPI` to be an integer/));
  });

  it('parses the models subcommands, and help for every command', () => {
    assert.deepEqual(parseCommandLine(['models', 'verify', '/p'], {}), { kind: 'models-verify', dir: '/p' });
    const imp = parseCommandLine(['models', 'import', '/usb/pack'], { OCR_DESK_DATA_DIR: '/data/ocr' });
    assert.deepEqual(imp, { kind: 'models-import', from: '/usb/pack', to: path.join('/data/ocr', 'models') });
    // A folder that happens to be called "models" is still an input.
    assert.equal(parseCommandLine(['models', '--out', 'o'], {}).kind, 'ocr');
    const help = (argv: string[]) => {
      const c = parseCommandLine(argv, {});
      assert.equal(c.kind, 'help', argv.join(' '));
      return c.kind === 'help' ? (c.usage ?? '') : '';
    };
    assert.match(help(['models']), /models verify \[dir\]/);
    assert.match(help(['help']), /^Usage:\n {2}ocr-desk <files or folders/);
    assert.match(help(['search', '--help']), /ocr-desk search "<words>" \[--limit n\]/);
    assert.doesNotMatch(help(['search', '--help']), /--stable-ms/, 'search has its own help, not watch\'s');
    assert.match(help(['help', 'serve']), /ocr-desk serve \[--port n\]/);
  });

  it('watch takes the same job options as a batch, --pdf-dpi, --password and --pdfa included', () => {
    const w = parseCommandLine(['watch', 'in', '--out', 'o', '--pdf-dpi', '200', '--password', 'pw', '--format', 'pdf', '--pdfa'], {});
    assert.ok(w.kind === 'watch');
    assert.deepEqual([w.settings.pdfDpi, w.settings.password, w.settings.pdfa], [200, 'pw', true]);
  });
});

describe('settings', () => {
  it('maps setting names to environment variables', () => {
    assert.equal(envName('maxPixels'), 'OCR_DESK_MAX_PIXELS');
    assert.equal(envName('pageTimeoutMs'), 'OCR_DESK_PAGE_TIMEOUT_MS');
    assert.equal(envName('dataDir'), 'OCR_DESK_DATA_DIR');
  });

  it('puts data in the platform’s usual place', () => {
    assert.equal(dataDir({}, 'linux', '/home/u'), '/home/u/.local/share/ocr-desk');
    assert.equal(dataDir({ XDG_DATA_HOME: '/xdg' }, 'linux', '/home/u'), '/xdg/ocr-desk');
    assert.equal(dataDir({}, 'darwin', '/Users/u'), '/Users/u/Library/Application Support/OCR Desk');
    assert.equal(dataDir({ APPDATA: 'C:\\Users\\u\\AppData\\Roaming' }, 'win32', 'C:\\Users\\u'), 'C:\\Users\\u\\AppData\\Roaming\\OCR Desk');
    assert.equal(dataDir({ OCR_DESK_DATA_DIR: '/srv/ocr' }, 'linux', '/home/u'), '/srv/ocr');
    assert.equal(cacheDir({ OCR_DESK_DATA_DIR: '/srv/ocr' }), '/srv/ocr/cache', 'caches live in the data folder');
    assert.equal(cacheDir({ OCR_DESK_DATA_DIR: '/srv/ocr', OCR_DESK_CACHE_DIR: '/fast/cache' }), '/fast/cache', 'unless OCR_DESK_CACHE_DIR says otherwise');
  });
});
