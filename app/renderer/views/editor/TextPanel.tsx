/**
 * The page's text beside the picture, in reading order: one row per line (its number selects the line), each word
 * a button (a click selects it, a double click corrects it). Low-confidence words are marked (colour and a dotted
 * underline), found words highlighted. One tab stop: the selected word (roving tabindex); the editor's keys move it.
 *
 * Rows are memoised: moving the selection redraws the rows it leaves and enters, not the page.
 */
import { memo, useEffect, useRef, type ReactNode } from 'react';
import type { OcrLine, OcrPage } from '../../../common/result.ts';
import type { Selection } from './editor-model.ts';

interface RowProps {
  readonly line: OcrLine;
  readonly n: number;
  readonly threshold: number;
  /** The selected word when it is on this line. */
  readonly selectedWord: string | null;
  readonly lineSelected: boolean;
  /** Whether this row holds the panel's tab stop (nothing else does). */
  readonly tabStop: boolean;
  readonly matches: ReadonlySet<string>;
  readonly lineLabel: string;
  /** The first line of a block (paragraph or column) after another. */
  readonly blockStart: boolean;
  readonly onSelect: (s: Selection) => void;
  readonly onEdit: (s: Selection) => void;
}

const Row = memo(function Row(p: RowProps): ReactNode {
  return (
    <li className={`ed-line${p.lineSelected ? ' selected' : ''}${p.blockStart ? ' block-start' : ''}`} data-line-id={p.line.id} data-block={p.line.block}>
      <button
        type="button"
        className="ed-line-no"
        tabIndex={p.tabStop && (p.lineSelected || p.selectedWord === null) ? 0 : -1}
        aria-label={p.lineLabel}
        aria-pressed={p.lineSelected}
        onClick={() => p.onSelect({ kind: 'line', id: p.line.id })}
        onDoubleClick={() => p.onEdit({ kind: 'line', id: p.line.id })}
      >
        {p.n}
      </button>
      <span className="ed-words">
        {p.line.words.map((w) => {
          const selected = w.id === p.selectedWord;
          const cls = `ed-word${w.confidence < p.threshold ? ' low' : ''}${selected ? ' selected' : ''}${p.matches.has(w.id) ? ' match' : ''}`;
          return (
            <button
              key={w.id}
              type="button"
              className={cls}
              data-word-id={w.id}
              data-confidence={w.confidence}
              aria-pressed={selected}
              tabIndex={selected && p.tabStop ? 0 : -1}
              onClick={() => p.onSelect({ kind: 'word', id: w.id })}
              onDoubleClick={() => p.onEdit({ kind: 'word', id: w.id })}
            >
              {w.text}
            </button>
          );
        })}
      </span>
    </li>
  );
});

export function TextPanel(props: {
  page: OcrPage;
  label: string;
  threshold: number;
  selection: Selection | null;
  matches: ReadonlySet<string>;
  lineLabel: (n: number) => string;
  empty: string;
  onSelect: (s: Selection) => void;
  onEdit: (s: Selection) => void;
}): ReactNode {
  const list = useRef<HTMLOListElement>(null);
  const { page, selection } = props;
  const selectedLine = selection?.kind === 'line' ? selection.id : page.lines.find((l) => selection?.kind === 'word' && l.words.some((w) => w.id === selection.id))?.id;

  // The selection stays in view in the panel as it moves.
  useEffect(() => {
    if (!selection) return;
    const el = list.current?.querySelector(selection.kind === 'word' ? `[data-word-id="${selection.id}"]` : `[data-line-id="${selection.id}"]`);
    el?.scrollIntoView({ block: 'center' });
  }, [selection]);

  // Blocks are paragraphs: a gap before each new one.
  let block = -1;
  return (
    <ol ref={list} className="ed-text" aria-label={props.label} data-testid="text-panel">
      {page.lines.length === 0 ? <li className="muted">{props.empty}</li> : null}
      {page.lines.map((line, i) => {
        const starts = line.block !== block && i > 0;
        block = line.block;
        const mine = selectedLine === line.id;
        return (
          <Row
            key={line.id}
            line={line}
            n={i + 1}
            threshold={props.threshold}
            selectedWord={mine && selection?.kind === 'word' ? selection.id : null}
            lineSelected={mine && selection?.kind === 'line'}
            tabStop={mine || (!selectedLine && i === 0)}
            matches={props.matches}
            lineLabel={props.lineLabel(i + 1)}
            blockStart={starts}
            onSelect={props.onSelect}
            onEdit={props.onEdit}
          />
        );
      })}
    </ol>
  );
}
