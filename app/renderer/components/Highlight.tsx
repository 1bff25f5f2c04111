/** Text with parts highlighted: a search snippet's [marked] words, or the words of a query found in a line. */
import type { ReactNode } from 'react';
import { parseSnippet } from '../lib/snippet.ts';

export function Snippet(props: { snippet: string }): ReactNode {
  return (
    <>
      {parseSnippet(props.snippet).map((p, i) => (p.hit ? <mark key={i}>{p.text}</mark> : <span key={i}>{p.text}</span>))}
    </>
  );
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The words of `query` (letters and digits, two or more) marked wherever a word in `text` starts with one. */
export function Highlighted(props: { text: string; query: string | undefined }): ReactNode {
  const words = (props.query ?? '').split(/[^\p{L}\p{N}]+/u).filter((w) => w.length >= 2 || /\p{Script=Han}/u.test(w));
  if (words.length === 0) return props.text;
  const re = new RegExp(`(${words.map(escape).join('|')})`, 'giu');
  return (
    <>
      {props.text.split(re).map((part, i) => (i % 2 === 1 ? <mark key={i}>{part}</mark> : part))}
    </>
  );
}
