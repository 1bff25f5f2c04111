/**
 * The search query language: the parser and compiler as pure functions, then the same queries against a real store
 * holding receipts whose amounts share digits (80.90 against 57.80, 8.90 and 803M).
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { InvalidQueryError } from '../app/common/errors.ts';
import { runSearch } from '../app/main/cli/search-command.ts';
import { parseSearchQuery, searchPlan } from '../app/main/store/search-query.ts';
import { Store } from '../app/main/store/store.ts';
import { tempDir } from './helpers.ts';

const match = (q: string) => searchPlan(q)?.match;
const refused = (q: string, problem: RegExp) =>
  assert.throws(
    () => searchPlan(q),
    (e: unknown) => e instanceof InvalidQueryError && e.kind === 'invalid-query' && e.message.startsWith(`The search “${q}” cannot be read: `) && problem.test(e.message),
    q,
  );

describe('search query parser', () => {
  it('keeps words typed with punctuation inside together, exactly, and plain words as prefixes', () => {
    assert.equal(match('80.90'), '"80" + "90"');
    assert.deepEqual(searchPlan('80.90')?.filter?.params, ['"80" + "90"', '80.90']);
    assert.equal(match('2021-06-04'), '"2021" + "06" + "04"');
    assert.equal(match('check-in'), '"check" + "in"');
    assert.equal(match('80'), '"80"', 'a number is not a prefix');
    assert.equal(match('Total RM'), '("Total"* AND "RM"*)');
    assert.deepEqual(searchPlan('RM 80.90,')?.filter?.params.at(-1), '80.90', 'punctuation around a word is not part of it');
    assert.equal(searchPlan('  ... - '), undefined, 'nothing to search for');
  });

  it('reads AND, OR, NOT, parentheses, phrases and prefixes, with FTS5 precedence', () => {
    assert.equal(match('jalan AND damansara'), '("jalan"* AND "damansara"*)');
    assert.equal(match('invoice OR receipt'), '("invoice"* OR "receipt"*)');
    assert.equal(match('a b OR c NOT d'), '(("a"* AND "b"*) OR ("c"* NOT "d"*))');
    assert.equal(match('(a OR b) c'), '(("a"* OR "b"*) AND "c"*)');
    assert.equal(match('"jalan damansara"'), '"jalan" + "damansara"');
    assert.equal(match('"OR and NOT"'), '"OR" + "and" + "NOT"', 'operators inside quotes are words');
    assert.equal(match('"total rm"*'), '"total" + "rm"*');
    assert.equal(match('809*'), '"809"*');
    assert.equal(match('and or not'), '("and"* AND "or"* AND "not"*)', 'lower case operators are plain words');
    const tree = parseSearchQuery('a NOT b');
    assert.deepEqual(tree?.kind, 'not');
    // A NOT dropping a typed literal is left to the exact filter, which knows the literal.
    assert.deepEqual(match('a NOT 2.5'), '"a"*');
    assert.match(searchPlan('a NOT 2.5')?.filter?.sql ?? '', /AND NOT \(r\.document_id IN \(SELECT rowid FROM documents_fts WHERE documents_fts MATCH \?\) AND instr/);
    assert.equal(searchPlan('a OR b')?.filter, undefined, 'no filter where the index says it all');
  });

  it('compiles Chinese words for the CJK index', () => {
    assert.deepEqual(searchPlan('细胞 AND WBC'), { index: 'cjk', match: '("细胞" AND "WBC"*)', needles: ['细胞', 'WBC'] });
    assert.equal(match('"白细胞 计数"'), '"白细" + "细胞" + "胞" + "计数"');
  });

  it('refuses a malformed query with an invalid-query error saying what to change', () => {
    refused('"jalan damansara', /quote \("\) is not closed/);
    refused('jalan OR', /OR needs a word or phrase on each side .*`invoice OR receipt`.*lower case \(`or`\)/);
    refused('AND jalan', /AND needs a word or phrase on each side/);
    refused('jalan AND OR x', /AND needs a word/);
    refused('NOT draft', /NOT .* needs words before it too \(as in `invoice NOT draft`\)/);
    refused('invoice NOT', /NOT needs a word or phrase after it/);
    refused('(jalan OR damansara', /"\(" is not closed/);
    refused('jalan)', /"\)" has no "\("/);
    refused('()', /parentheses \(\) hold nothing/);
  });
});

describe('Store.search with the query language', () => {
  let store: Store;
  let cleanup: () => Promise<void>;
  const ids: Record<string, number> = {};
  before(async () => {
    let dir: string;
    ({ dir, cleanup } = await tempDir('search-query'));
    store = Store.inDir(dir);
    const texts: Record<string, string> = {
      a: 'KEDAI JALAN DAMANSARA\nTOTAL RM 80.90\nDATE 2018-03-26 check-in',
      b: 'JALAN BUKIT\nSUBTOTAL 57.80\nCHANGE 8.90\nDAMANSARA',
      c: 'MEMORY 803M used',
      d: 'PETALING JAYA\nTOTAL RM 57.80 90.00\nDATE 26/03/2018 check in',
      e: 'SCORES 80 90 100',
    };
    const settings = JSON.stringify({ formats: ['json'], pageOptions: {}, models: 'm' });
    const { documentIds } = store.addJob('interactive', 10, settings, Object.keys(texts).map((k) => ({ path: `/${k}`, outputBase: `/o/${k}` })));
    Object.keys(texts).forEach((k, i) => {
      ids[k] = documentIds[i]!;
      store.beginWriting(documentIds[i]!, `k${k}`, '{}', texts[k]!, [], false);
      store.finishDocument(documentIds[i]!);
    });
  });
  after(async () => {
    store.close();
    await cleanup();
  });
  const paths = (q: string) => store.search(q).map((h) => h.path).sort();

  it('finds amounts, dates and hyphenated words as typed', () => {
    // Not /d nor /e either, whose 80 and 90 are adjacent words but not typed 80.90.
    assert.deepEqual(paths('80.90'), ['/a']);
    assert.match(store.search('80.90')[0]!.snippet, /RM \[80\.90\]/);
    assert.deepEqual(paths('57.80'), ['/b', '/d']);
    assert.deepEqual(paths('2018-03-26'), ['/a']);
    assert.deepEqual(paths('check-in'), ['/a']);
    assert.deepEqual(paths('80'), ['/a', '/b', '/d', '/e'], 'the number 80 (57.80 holds it too), not 803M');
    assert.deepEqual(paths('803*'), ['/c']);
  });

  it('takes AND, OR, NOT and phrases', () => {
    assert.deepEqual(paths('jalan AND damansara'), ['/a', '/b']);
    assert.deepEqual(paths('"jalan damansara"'), ['/a']);
    assert.deepEqual(paths('jalan NOT bukit'), ['/a']);
    assert.deepEqual(paths('petaling OR memory'), ['/c', '/d']);
    assert.deepEqual(paths('80.90 OR 803*'), ['/a', '/c'], '80.90 as typed under OR too');
    assert.deepEqual(paths('total NOT 80.90'), ['/d'], 'and under NOT: /d has 80 90 adjacent, not 80.90');
    assert.deepEqual(paths('(petaling OR bukit) AND 57.80'), ['/b', '/d']);
    assert.deepEqual(paths('rece'), [], 'a prefix of no word');
    assert.deepEqual(paths('dama'), ['/a', '/b'], 'a plain word still finds the words it begins');
  });

  it('throws InvalidQueryError for a malformed query, and finds nothing for punctuation alone', () => {
    assert.throws(() => store.search('jalan AND'), InvalidQueryError);
    assert.deepEqual(store.search(' - '), []);
  });

  it('`ocr-desk search` prints the reason for a malformed query and exits with 2', async () => {
    let stderr = '';
    const io = { stdout: { write: () => true }, stderr: { write: (t: string) => (stderr += t) } };
    const code = await runSearch({ kind: 'search', words: '"jalan damansara', dataDir: path.dirname(store.file), limit: 20, json: false }, io);
    assert.equal(code, 2);
    assert.equal(stderr, 'ocr-desk: The search “"jalan damansara” cannot be read: a quote (") is not closed. Close the phrase with a second ", or leave the quote out.\n');
  });
});
