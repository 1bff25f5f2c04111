import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InvalidOptionError } from '../../app/common/errors.ts';
import { ENGINE_ENV_PREFIXES, engineTuning } from '../../app/common/engine-tuning.ts';
import { upsideDownVote } from '../../app/worker/engine/classify.ts';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_ENGINE_PARAMS, ENGINE_SETTINGS, engineParamsFromEnv } from '../../app/worker/engine/params.ts';
import { repoRoot } from '../helpers.ts';

describe('engine parameters', () => {
  it('are the defaults when no variable is set, and take OCR_DESK_* variables', () => {
    assert.deepEqual(engineParamsFromEnv({}), DEFAULT_ENGINE_PARAMS);
    const p = engineParamsFromEnv({ OCR_DESK_DET_TEXT_HEIGHT: '24', OCR_DESK_DET_TILE_SIZE: '960', OCR_DESK_DET_TILE_AREA: '786432', OCR_DESK_DET_MAX_PASSES: ' 2 ' });
    assert.equal(p.textScale.targetHeight, 24);
    assert.equal(p.tileArea, 786_432);
    assert.equal(p.textScale.maxPasses, 2);
    assert.equal(p.tileSize, 960);
    assert.deepEqual(engineParamsFromEnv({ OCR_DESK_REC_INT8: '1', OCR_DESK_REC_INT8_MIN_CHANNELS: '480' }).int8, { enabled: true, minInputChannels: 480 });
    assert.deepEqual(engineParamsFromEnv({ OCR_DESK_SPELLING: '0', OCR_DESK_SPELLING_MIN_LETTERS: '5', OCR_DESK_SPELLING_MAX_CHANGES: '1' }).spelling, { ...DEFAULT_ENGINE_PARAMS.spelling, enabled: false, minLetters: 5, maxChanges: 1 });
    // The defaults object itself is left alone.
    assert.equal(DEFAULT_ENGINE_PARAMS.textScale.targetHeight !== 24, true);
  });

  it('refuse values that are not numbers in range, naming the variable', () => {
    assert.throws(() => engineParamsFromEnv({ OCR_DESK_DET_TEXT_HEIGHT: 'tall' }), (e: unknown) => e instanceof InvalidOptionError && /OCR_DESK_DET_TEXT_HEIGHT.*`tall`/.test(e.message));
    assert.throws(() => engineParamsFromEnv({ OCR_DESK_DET_TILE_SIZE: '1000' }), /OCR_DESK_DET_TILE_SIZE to be an integer between 256 and 4096 and a multiple of 32, got `1000`/);
    assert.throws(() => engineParamsFromEnv({ OCR_DESK_DET_MAX_PASSES: '2.5' }), /an integer/);
    assert.throws(() => engineParamsFromEnv({ OCR_DESK_REC_INT8: 'yes' }), /OCR_DESK_REC_INT8 to be an integer between 0 and 1, got `yes`/);
    assert.throws(() => engineParamsFromEnv({ OCR_DESK_SPELLING_MIN_ALT_PROB: '0' }), /OCR_DESK_SPELLING_MIN_ALT_PROB to be a number between 0.01 and 1, got `0`/);
    assert.throws(() => engineParamsFromEnv({ OCR_DESK_DET_TILE_OVERLAP: '512', OCR_DESK_DET_TILE_SIZE: '512' }), /smaller than OCR_DESK_DET_TILE_SIZE/);
    assert.throws(() => engineParamsFromEnv({ OCR_DESK_DET_TILE_AREA: '50000' }), /OCR_DESK_DET_TILE_AREA to be an integer between 65536 and 16777216, got `50000`/);
    assert.throws(() => engineParamsFromEnv({ OCR_DESK_DET_TILE_AREA: '100000', OCR_DESK_DET_TILE_OVERLAP: '256' }), /OCR_DESK_DET_TILE_AREA \(100000\) to be at least \(2 × OCR_DESK_DET_TILE_OVERLAP\)² = 262144/);
    assert.throws(() => engineParamsFromEnv({ OCR_DESK_DET_MIN_HEIGHT: '30' }), /OCR_DESK_DET_MIN_HEIGHT \(30\) ≤ OCR_DESK_DET_TEXT_HEIGHT/);
  });
});

describe('engine parameters and result reuse', () => {
  it('are each named by a prefix the service keys reused results on (common/engine-tuning.ts)', () => {
    for (const s of ENGINE_SETTINGS) assert.ok(ENGINE_ENV_PREFIXES.some((p) => s.env.startsWith(p)), `${s.env} has an engine prefix`);
    assert.ok(engineTuning({ [ENGINE_SETTINGS[0]!.env]: '20' }).length > 0);
  });
});

describe('engine parameters in the README', () => {
  it('lists every variable', () => {
    const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
    for (const s of ENGINE_SETTINGS) assert.ok(readme.includes(`\`${s.env}\``), `${s.env} in README.md`);
  });
});

describe('page orientation vote', () => {
  it('counts only confident lines, weighted by width', () => {
    // The eight widest boxes of a scanned form (FUNSD 0000989556): two wide rules the classifier half-guessed as
    // upside down outweighed the clear lines in a plain width-weighted majority.
    const widths = [1057, 846, 832, 832, 813, 793, 786, 785];
    const p = [0.94, 0.94, 0.63, 0.74, 0.0, 0.0, 0.0, 0.01];
    assert.equal(upsideDownVote(widths, p, 0.9), false);
    assert.equal(upsideDownVote([500, 400, 300], [0.99, 0.97, 0.02], 0.9), true);
    assert.equal(upsideDownVote([500], [0.6], 0.9), false);
  });
});
