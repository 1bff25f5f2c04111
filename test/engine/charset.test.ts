import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseLanguages } from '../../app/common/languages.ts';
import { allowedClasses, normaliseWord } from '../../app/worker/engine/charset.ts';

describe('languages', () => {
  it('allows only Latin classes for English, everything with Chinese', () => {
    const alphabet = ['', 'a', '中', '€', '：', ' '];
    assert.deepEqual([...allowedClasses(alphabet, ['en'])!], [0, 1, 0, 1, 0, 1]);
    assert.equal(allowedClasses(alphabet, ['en', 'zh']), undefined);
    // A model without Chinese (PaddleOCR's Latin or Cyrillic ones) is not restricted: nothing to keep out.
    assert.equal(allowedClasses(['', 'a', 'ê', 'Ж', ' '], ['en']), undefined);
  });

  it('folds full-width punctuation in Latin words only', () => {
    assert.equal(normaliseWord('Amt（RM）：'), 'Amt(RM):');
    assert.equal(normaliseWord('金额（元）'), '金额（元）');
  });

  it('rejects unknown languages precisely', () => {
    assert.deepEqual(parseLanguages('--lang', 'en,zh'), ['en', 'zh']);
    assert.throws(() => parseLanguages('--lang', 'en,fr'), /Expected `--lang` to list languages from en, zh, got `fr`/);
  });
});
