/**
 * The editor's two bars: the document's (back, pages, documents to review, saved or not, undo, redo, save, history,
 * export, rewrite, help) and the tools' (the low-confidence threshold and its words, corrections, lines, boxes,
 * zoom, find). Every button names its key in its title; the keys themselves are the editor's (HelpDialog).
 */
import type { ReactNode, RefObject } from 'react';
import { useApp } from '../../context.tsx';
import type { Selection } from './editor-model.ts';

export interface HeaderCommands {
  page(index: number): void;
  nextDocument(): void;
  undo(): void;
  redo(): void;
  save(): void;
  history(): void;
  export(): void;
  rewrite(): void;
  help(): void;
}

export function EditorHeader(props: {
  documentId: number;
  name: string;
  pageIndex: number;
  pageCount: number;
  pending: number;
  status: string;
  canUndo: boolean;
  canRedo: boolean;
  canSave: boolean;
  canRewrite: boolean;
  on: HeaderCommands;
}): ReactNode {
  const { t } = useApp();
  const { on, pageIndex } = props;
  return (
    <div className="ed-bar">
      <a className="link back" href={`#/library/${props.documentId}`}>
        {t('edBack')}
      </a>
      <h2 className="ed-title">{props.name}</h2>
      <div className="ed-group" role="group" aria-label={t('edPagePick')}>
        <button type="button" className="button small" onClick={() => on.page(pageIndex - 1)} disabled={pageIndex === 0} title="Page Up">
          {t('edPrevPage')}
        </button>
        <span className="ed-page-of">{t('edPageOf', { n: pageIndex + 1, count: props.pageCount })}</span>
        <button type="button" className="button small" onClick={() => on.page(pageIndex + 1)} disabled={pageIndex + 1 >= props.pageCount} title="Page Down">
          {t('edNextPage')}
        </button>
        <button type="button" className="button small" onClick={on.nextDocument} title="Shift+Page Down">
          {t('edNextDoc')}
        </button>
      </div>
      <span className={`ed-version${props.pending > 0 ? ' unsaved' : ''}`} data-testid="editor-version" role="status">
        {props.status}
      </span>
      <div className="ed-group">
        <button type="button" className="button small" onClick={on.undo} disabled={!props.canUndo} title="Ctrl+Z">
          {t('edUndo')}
        </button>
        <button type="button" className="button small" onClick={on.redo} disabled={!props.canRedo} title="Ctrl+Shift+Z">
          {t('edRedo')}
        </button>
        <button type="button" className="button small primary" onClick={on.save} disabled={!props.canSave} title="Ctrl+S">
          {t('edSave')}
        </button>
      </div>
      <div className="ed-group">
        <button type="button" className="button small" onClick={on.history}>
          {t('edHistory')}
        </button>
        <button type="button" className="button small" onClick={on.export}>
          {t('exportDoc')}
        </button>
        {props.canRewrite ? (
          <button type="button" className="button small" onClick={on.rewrite}>
            {t('edRewrite')}
          </button>
        ) : null}
        <button type="button" className="button small quiet" onClick={on.help} aria-label={t('edHelp')} title="?">
          ?
        </button>
      </div>
    </div>
  );
}

export interface ToolCommands {
  threshold(value: number): void;
  lowest(): void;
  previousLow(): void;
  nextLow(): void;
  accept(): void;
  edit(): void;
  remove(): void;
  split(): void;
  merge(): void;
  moveUp(): void;
  moveDown(): void;
  draw(): void;
  zoomOut(): void;
  zoomIn(): void;
  fitWidth(): void;
  fitPage(): void;
  query(q: string): void;
  nextMatch(): void;
  previousMatch(): void;
  closeFind(): void;
}

export function EditorTools(props: {
  threshold: number;
  /** Words under the threshold on this page. */
  low: number;
  selection: Selection | null;
  drawing: boolean;
  /** Screen pixels per page pixel, once the page is laid out. */
  zoom: number | null;
  query: string;
  /** "2 of 5", "Not found", or nothing. */
  found: string;
  canFind: boolean;
  findInput: RefObject<HTMLInputElement | null>;
  on: ToolCommands;
}): ReactNode {
  const { t } = useApp();
  const { on, selection } = props;
  const percent = Math.round(props.threshold * 100);
  return (
    <div className="ed-bar tools">
      <div className="ed-group ed-threshold" role="group" aria-label={t('edLowGroup')}>
        <label htmlFor="ed-threshold">{t('edThreshold')}</label>
        <input
          id="ed-threshold"
          type="range"
          min={0.5}
          max={0.99}
          step={0.01}
          value={props.threshold}
          aria-valuetext={`${percent}%`}
          onChange={(e) => on.threshold(Math.round(Number(e.target.value) * 100) / 100)}
        />
        <output htmlFor="ed-threshold">{percent}%</output>
        <span className="muted" data-testid="editor-low-count">
          {t('edLowCount', { count: props.low })}
        </span>
        <button type="button" className="button small" onClick={on.lowest} aria-label={t('edLowestWord')} title="W">
          {t('edLowestShort')}
        </button>
        <button type="button" className="button small" onClick={on.previousLow} aria-label={t('edPrevLow')} title="Shift+N">
          {t('edPrevShort')}
        </button>
        <button type="button" className="button small" onClick={on.nextLow} aria-label={t('edNextLow')} title="N">
          {t('edNextShort')}
        </button>
      </div>
      <div className="ed-group">
        <button type="button" className="button small" onClick={on.accept} disabled={!selection} title="A">
          {t('edAccept')}
        </button>
        <button type="button" className="button small" onClick={on.edit} disabled={!selection} title="Enter">
          {t('edEdit')}
        </button>
        <button type="button" className="button small" onClick={on.remove} disabled={!selection} title="Delete">
          {t('edDelete')}
        </button>
        <button type="button" className="button small" onClick={on.split} disabled={selection?.kind !== 'word'} title="S">
          {t('edSplit')}
        </button>
        <button type="button" className="button small" onClick={on.merge} disabled={!selection} title="M">
          {t('edMerge')}
        </button>
        <button type="button" className="button small" onClick={on.moveUp} disabled={!selection} title="Alt+↑">
          {t('edMoveUp')}
        </button>
        <button type="button" className="button small" onClick={on.moveDown} disabled={!selection} title="Alt+↓">
          {t('edMoveDown')}
        </button>
        <button type="button" className="button small" aria-pressed={props.drawing} onClick={on.draw} title="R">
          {t('edDrawBox')}
        </button>
      </div>
      <div className="ed-group" role="group" aria-label={t('edZoom')}>
        <button type="button" className="button small" onClick={on.zoomOut} aria-label={t('edZoomOut')} title="−">
          −
        </button>
        <span className="ed-zoom" data-testid="editor-zoom">
          {props.zoom !== null ? `${Math.round(props.zoom * 100)}%` : ''}
        </span>
        <button type="button" className="button small" onClick={on.zoomIn} aria-label={t('edZoomIn')} title="+">
          +
        </button>
        <button type="button" className="button small" onClick={on.fitWidth}>
          {t('edFitWidth')}
        </button>
        <button type="button" className="button small" onClick={on.fitPage} title="0">
          {t('edFitPage')}
        </button>
      </div>
      <form
        className="ed-group ed-find"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          on.nextMatch();
        }}
      >
        <label htmlFor="ed-find" className="visually-hidden">
          {t('edSearchLabel')}
        </label>
        <input
          id="ed-find"
          ref={props.findInput}
          type="search"
          value={props.query}
          placeholder={t('edSearchPlaceholder')}
          autoComplete="off"
          onChange={(e) => on.query(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && e.shiftKey) {
              e.preventDefault();
              on.previousMatch();
            } else if (e.key === 'Escape') on.closeFind();
          }}
        />
        <span className="muted ed-find-count" aria-live="polite">
          {props.found}
        </span>
        <button type="button" className="button small" onClick={on.previousMatch} disabled={!props.canFind} aria-label={t('edSearchPrev')}>
          ↑
        </button>
        <button type="submit" className="button small" disabled={!props.canFind} aria-label={t('edSearchNext')}>
          ↓
        </button>
      </form>
    </div>
  );
}
