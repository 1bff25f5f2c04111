/**
 * The query language of `ocr-desk search`, parsed here and compiled to an FTS5 MATCH expression (pure: no SQLite).
 *
 * - Words: every one must occur (`jalan damansara`); `AND` says so explicitly, `OR` takes either side, `a NOT b`
 *   documents with a but not b; parentheses group. Operators are upper case; `and`, `or`, `not` are plain words.
 *   NOT binds tighter than AND, and AND tighter than OR, as in FTS5.
 * - `"a phrase"`: these words next to each other, in this order; operators inside quotes are plain words.
 * - `word*`: words that begin with it. A word of letters also matches words it begins (`rece` finds receipt).
 * - Numbers, amounts, dates, codes and hyphenated words match as typed: `80.90` is the words 80 and 90 adjacent,
 *   and the document's text must hold `80.90` itself (not 57.80, 8.90 or 803M); `2021-06-04`, `check-in` alike.
 *   A number alone matches that number, never a longer one (`80` does not find 803M).
 * - Chinese, Japanese and Korean words are matched inside runs of characters, through the CJK index
 *   (cjk-index.ts): a query holding any such character is compiled for that index.
 *
 * A malformed query (an unclosed quote or parenthesis, an operator missing a side) is an {@link InvalidQueryError}
 * saying what to change. Punctuation on its own (`-`, `…`) is not a word and is skipped.
 */
import { InvalidQueryError } from '../../common/errors.ts';
import { cjkQueryTokens, hasCjk } from './cjk-index.ts';

export type QueryNode =
  | {
      readonly kind: 'term';
      /** What the person typed, quotes and `*` left out. */
      readonly text: string;
      /** Letters and digits, as the index tokenizes them. */
      readonly tokens: readonly string[];
      readonly prefix: boolean;
      /** A quoted phrase (its words need not be typed joined). */
      readonly quoted: boolean;
    }
  | { readonly kind: 'and' | 'or'; readonly items: readonly QueryNode[] }
  | { readonly kind: 'not'; readonly keep: QueryNode; readonly drop: QueryNode };

/** The FTS5 table of each index (migrations 3 and 4). */
export const INDEX_TABLES = { words: 'documents_fts', cjk: 'documents_cjk' } as const;

/** How a query runs: which index, its MATCH expression, and the exact condition where the index cannot say. */
export interface SearchPlan {
  readonly index: keyof typeof INDEX_TABLES;
  /** Matches every hit (and, where `filter` is set, perhaps more). */
  readonly match: string;
  /**
   * Present when a term was typed with punctuation inside (80.90): the query again as SQL over `r.document_id` and
   * `r.text` (the hit's results row), with those terms required as typed.
   */
  readonly filter?: { readonly sql: string; readonly params: readonly string[] };
  /** Words to mark in a snippet built from the stored text. */
  readonly needles: readonly string[];
}

const TOKEN = /[\p{L}\p{N}\p{Co}]+/gu;
const OPERATORS = new Set(['AND', 'OR', 'NOT']);

type Lexeme = { type: '(' | ')' | 'AND' | 'OR' | 'NOT' } | { type: 'term'; node: Extract<QueryNode, { kind: 'term' }> };

function fail(query: string, problem: string): never {
  throw new InvalidQueryError(query, problem);
}

function term(text: string, prefix: boolean, quoted: boolean): Lexeme | undefined {
  const tokens = text.match(TOKEN) ?? [];
  // Punctuation alone (a dash between amounts, an ellipsis) is not something the index holds.
  if (tokens.length === 0) return undefined;
  return { type: 'term', node: { kind: 'term', text, tokens, prefix, quoted } };
}

function lex(query: string): Lexeme[] {
  const out: Lexeme[] = [];
  let i = 0;
  while (i < query.length) {
    const c = query[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (c === '(' || c === ')') {
      out.push({ type: c });
      i++;
    } else if (c === '"') {
      const close = query.indexOf('"', i + 1);
      if (close < 0) fail(query, 'a quote (") is not closed. Close the phrase with a second ", or leave the quote out');
      const prefix = query[close + 1] === '*';
      const t = term(query.slice(i + 1, close), prefix, true);
      if (t) out.push(t);
      i = close + 1 + (prefix ? 1 : 0);
    } else {
      let j = i;
      while (j < query.length && !/[\s()"]/.test(query[j]!)) j++;
      const word = query.slice(i, j);
      i = j;
      if (OPERATORS.has(word)) out.push({ type: word as 'AND' | 'OR' | 'NOT' });
      else {
        const prefix = word.endsWith('*');
        const t = term(prefix ? word.replace(/\*+$/, '') : word, prefix, false);
        if (t) out.push(t);
      }
    }
  }
  return out;
}

const operatorSides = (op: string) =>
  `${op} needs a word or phrase on each side (as in \`invoice ${op} receipt\`); to search for the word itself, type it in lower case (\`${op.toLowerCase()}\`)`;

/** The query as a tree, or undefined when it holds no word at all (only spaces or punctuation). */
export function parseSearchQuery(query: string): QueryNode | undefined {
  const lexemes = lex(query);
  if (lexemes.length === 0) return undefined;
  let at = 0;
  const peek = () => lexemes[at]?.type;
  const unclosed = 'a parenthesis "(" is not closed. Add the ")" or leave the "(" out';
  const unopened = 'a ")" has no "(" before it. Remove it, or add the "("';
  /** The next lexeme must begin an operand of `op`. */
  const needOperand = (op: string) => {
    const next = peek();
    if (next === 'term' || next === '(') return;
    if (op === 'NOT') fail(query, 'NOT needs a word or phrase after it, the one to leave out (as in `invoice NOT draft`)');
    fail(query, operatorSides(op));
  };
  const primary = (): QueryNode => {
    const l = lexemes[at++];
    if (l?.type === 'term') return l.node;
    if (l?.type === '(') {
      if (peek() === ')') fail(query, 'the parentheses () hold nothing. Put words between them, or leave them out');
      if (peek() === undefined) fail(query, unclosed);
      const inner = or();
      if (peek() !== ')') fail(query, unclosed);
      at++;
      return inner;
    }
    if (l?.type === 'NOT') fail(query, 'NOT leaves out what follows it from what comes before it, so it needs words before it too (as in `invoice NOT draft`)');
    if (l?.type === ')') fail(query, unopened);
    return fail(query, `${l?.type ?? 'the end'} cannot stand there`);
  };
  const not = (): QueryNode => {
    let node = primary();
    while (peek() === 'NOT') {
      at++;
      needOperand('NOT');
      node = { kind: 'not', keep: node, drop: primary() };
    }
    return node;
  };
  const and = (): QueryNode => {
    const items = [not()];
    for (;;) {
      const next = peek();
      if (next === 'AND') {
        at++;
        needOperand('AND');
      } else if (next !== 'term' && next !== '(') break;
      items.push(not());
    }
    return items.length === 1 ? items[0]! : { kind: 'and', items };
  };
  const or = (): QueryNode => {
    const items = [and()];
    while (peek() === 'OR') {
      at++;
      needOperand('OR');
      items.push(and());
    }
    return items.length === 1 ? items[0]! : { kind: 'or', items };
  };
  const first = peek();
  if (first === 'AND' || first === 'OR') fail(query, operatorSides(first));
  const root = or();
  if (at < lexemes.length) fail(query, unopened); // or() stops early only at a ")" it did not open
  return root;
}

/** Whether a term matches as a prefix: asked for with `*`, or a plain word of letters (`rece` → receipt). */
function isPrefix(t: Extract<QueryNode, { kind: 'term' }>): boolean {
  return t.prefix || (!t.quoted && t.tokens.length === 1 && !/\p{N}/u.test(t.tokens[0]!) && !hasCjk(t.tokens[0]!));
}

function phrase(t: Extract<QueryNode, { kind: 'term' }>, cjk: boolean): string {
  const prefix = isPrefix(t);
  if (!cjk) return t.tokens.map((k) => `"${k}"`).join(' + ') + (prefix ? '*' : '');
  const parts: string[] = [];
  let lastPrefix = prefix;
  t.tokens.forEach((k, i) => {
    const last = i === t.tokens.length - 1;
    const p = cjkQueryTokens(k, { prefix: last && prefix, followed: !last });
    parts.push(...p.tokens.map((x) => `"${x}"`));
    if (last) lastPrefix = p.prefix;
  });
  return parts.join(' + ') + (lastPrefix ? '*' : '');
}

/**
 * A word typed with punctuation inside (80.90, 2021-06-04, check-in), as it must occur in the text, lower case; or
 * undefined. The index only knows that its parts are adjacent, which they are in 57.80 90.00 too. Only plain ASCII
 * is checked this way (SQLite's lower() folds only ASCII).
 */
export function typedLiteral(t: Extract<QueryNode, { kind: 'term' }>): string | undefined {
  if (t.quoted || t.tokens.length < 2) return undefined;
  const typed = t.text.match(/[\p{L}\p{N}\p{Co}](?:.*[\p{L}\p{N}\p{Co}])?/u)?.[0] ?? '';
  return /^[\x20-\x7e]+$/.test(typed) ? typed.toLowerCase() : undefined;
}

const holdsLiteral = (n: QueryNode): boolean =>
  n.kind === 'term' ? typedLiteral(n) !== undefined : n.kind === 'not' ? holdsLiteral(n.keep) || holdsLiteral(n.drop) : n.items.some(holdsLiteral);

/**
 * The MATCH expression. `relaxed`: a NOT whose dropped side holds a typed literal keeps everything (the filter,
 * which knows the literal, does the dropping), so the expression matches at least every true hit.
 */
function compile(node: QueryNode, cjk: boolean, relaxed: boolean): string {
  switch (node.kind) {
    case 'term':
      return phrase(node, cjk);
    case 'and':
    case 'or':
      return `(${node.items.map((n) => compile(n, cjk, relaxed)).join(` ${node.kind.toUpperCase()} `)})`;
    case 'not':
      if (relaxed && holdsLiteral(node.drop)) return compile(node.keep, cjk, relaxed);
      return `(${compile(node.keep, cjk, relaxed)} NOT ${compile(node.drop, cjk, relaxed)})`;
  }
}

/**
 * The exact query as SQL over `r.document_id` and `r.text` (the results row of a hit): each term is a lookup in
 * `table`, and a typed literal must also occur in the text.
 */
function filter(node: QueryNode, cjk: boolean, table: string, params: string[]): string {
  switch (node.kind) {
    case 'term': {
      params.push(phrase(node, cjk));
      const lookup = `r.document_id IN (SELECT rowid FROM ${table} WHERE ${table} MATCH ?)`;
      const literal = typedLiteral(node);
      if (literal === undefined) return lookup;
      params.push(literal);
      return `(${lookup} AND instr(lower(r.text), ?) > 0)`;
    }
    case 'and':
    case 'or':
      return `(${node.items.map((n) => filter(n, cjk, table, params)).join(` ${node.kind.toUpperCase()} `)})`;
    case 'not':
      return `(${filter(node.keep, cjk, table, params)} AND NOT ${filter(node.drop, cjk, table, params)})`;
  }
}

function terms(node: QueryNode, visit: (t: Extract<QueryNode, { kind: 'term' }>) => void): void {
  if (node.kind === 'term') visit(node);
  else if (node.kind === 'not') terms(node.keep, visit); // what NOT drops is not marked in snippets
  else node.items.forEach((n) => terms(n, visit));
}

/** The plan for a query, or undefined when it holds no word. Throws {@link InvalidQueryError} when malformed. */
export function searchPlan(query: string): SearchPlan | undefined {
  const root = parseSearchQuery(query);
  if (!root) return undefined;
  let cjk = false;
  const all = (n: QueryNode): void => {
    if (n.kind === 'term') cjk ||= hasCjk(n.text);
    else if (n.kind === 'not') [n.keep, n.drop].forEach(all);
    else n.items.forEach(all);
  };
  all(root);
  const index = cjk ? 'cjk' : 'words';
  const needles: string[] = [];
  terms(root, (t) => needles.push(...t.tokens));
  if (!holdsLiteral(root)) return { index, match: compile(root, cjk, false), needles };
  const params: string[] = [];
  const sql = filter(root, cjk, INDEX_TABLES[index], params);
  return { index, match: compile(root, cjk, true), filter: { sql, params }, needles };
}
