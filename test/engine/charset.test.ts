import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { allowedClasses, normaliseWord, parseLanguages } from '../../app/worker/engine/charset.ts';

describe('languages', () => {
  it('allows only Latin classes for English, everything with Chinese', () => {
    const alphabet = ['', 'a', '中', '€', '：', ' '];
    assert.deepEqual([...allowedClasses(alphabet, ['en'])!], [0, 1, 0, 1, 0, 1]);
    assert.equal(allowedClasses(alphabet, ['en', 'zh']), undefined);
  });

  it('folds full-width punctuation in Latin words only', () => {
    assert.equal(normaliseWord('Amt（RM）：'), 'Amt(RM):');
    assert.equal(normaliseWord('金额（元）'), '金额（元）');
  });

  it('rejects unknown languages precisely', () => {
    assert.deepEqual(parseLanguages('en,zh'), ['en', 'zh']);
    assert.throws(() => parseLanguages('en,fr'), /Expected languages from en, zh, got `fr`/);
  });
});
