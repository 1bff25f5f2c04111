/**
 * The page under its boxes: the page picture (from the service, at the size the zoom needs: larger pictures are
 * asked for as the zoom grows, so large scans stay sharp) with an SVG of line and word boxes over it in the page's
 * own coordinates, so the boxes are vectors at every zoom. Zoom with the buttons, keys or Ctrl+wheel (around the
 * pointer), pan by dragging or with the wheel. In drawing mode a drag draws a box.
 *
 * The boxes layer is drawn once per page state; moving the selection redraws only its own outline, so stepping
 * through words costs the same on a page of 1,000 words as on one of 10.
 */
import { forwardRef, memo, useCallback, useEffect, useImperativeHandle, useLayoutEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { ProposedLine } from '../../../common/edits.ts';
import type { OcrPage, Quad } from '../../../common/result.ts';
import { useApp } from '../../context.tsx';
import { clampZoom, pictureSide } from './editor-model.ts';

export interface View {
  /** Screen pixels per page pixel. */
  readonly scale: number;
  /** Screen position of the page's top-left corner in the viewport. */
  readonly x: number;
  readonly y: number;
}

export interface PageCanvasHandle {
  zoomBy(factor: number): void;
  fitWidth(): void;
  fitPage(): void;
  /** Pans so that the quad is in view (only when it is not already). */
  reveal(quad: Quad): void;
  focus(): void;
}

export interface ScreenBox {
  readonly left: number;
  readonly top: number;
  readonly width: number;
  readonly height: number;
}

const PAD = 16;
const points = (q: Quad) => q.map((p) => `${p[0]},${p[1]}`).join(' ');

function bounds(q: Quad): [number, number, number, number] {
  const xs = q.map((p) => p[0]);
  const ys = q.map((p) => p[1]);
  return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
}

/** Every line and word box of the page; redrawn only when the page, the threshold or the matches change. */
const Boxes = memo(function Boxes(props: { page: OcrPage; threshold: number; matches: ReadonlySet<string> }): ReactNode {
  return (
    <>
      <g className="ed-lines">
        {props.page.lines.map((l) => (
          <polygon key={l.id} data-line={l.id} points={points(l.box)} />
        ))}
      </g>
      <g className="ed-words">
        {props.page.lines.flatMap((l) =>
          l.words.map((w) => (
            <polygon
              key={w.id}
              data-word={w.id}
              className={`${w.confidence < props.threshold ? 'low' : ''}${props.matches.has(w.id) ? ' match' : ''}`}
              points={points(w.box)}
            />
          )),
        )}
      </g>
    </>
  );
});

export interface PageCanvasProps {
  readonly documentId: number;
  readonly page: OcrPage;
  readonly label: string;
  readonly threshold: number;
  readonly selected: Quad | null;
  readonly currentMatch: Quad | null;
  readonly matches: ReadonlySet<string>;
  readonly drawing: boolean;
  /** A line shown over the page's top (what a drag does now), without moving anything. */
  readonly hint: string | null;
  readonly region: Quad | null;
  readonly proposals: readonly ProposedLine[];
  readonly onSelect: (target: { kind: 'word' | 'line'; id: string } | null) => void;
  readonly onEdit: (target: { kind: 'word' | 'line'; id: string }) => void;
  readonly onDrawn: (quad: Quad) => void;
  readonly onView?: (view: View) => void;
  /** The first time the page's picture is on screen under its boxes. */
  readonly onPainted?: () => void;
  /** What floats over the page in screen coordinates (the in-place editor). */
  readonly overlay?: (toScreen: (q: Quad) => ScreenBox) => ReactNode;
}

export const PageCanvas = forwardRef<PageCanvasHandle, PageCanvasProps>(function PageCanvas(props, ref) {
  const { images } = useApp();
  const viewport = useRef<HTMLDivElement>(null);
  const [size, setSize] = useState<{ w: number; h: number }>({ w: 0, h: 0 });
  const [view, setView] = useState<View | null>(null);
  const [picture, setPicture] = useState<{ url: string; side: number } | null>(null);
  const [draft, setDraft] = useState<Quad | null>(null);
  const { page, documentId } = props;
  const long = Math.max(page.width, page.height);
  const painted = useRef(false);

  // The viewport's size, followed.
  useLayoutEffect(() => {
    const el = viewport.current;
    if (!el) return;
    const measure = () => setSize({ w: el.clientWidth, h: el.clientHeight });
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  const fitWidthView = useCallback((): View => {
    const scale = Math.min(1, (size.w - 2 * PAD) / page.width);
    return { scale, x: Math.max(PAD, (size.w - page.width * scale) / 2), y: PAD };
  }, [size.w, page.width]);

  const fitPageView = useCallback((): View => {
    const scale = Math.min((size.w - 2 * PAD) / page.width, (size.h - 2 * PAD) / page.height);
    return { scale, x: (size.w - page.width * scale) / 2, y: (size.h - page.height * scale) / 2 };
  }, [size.w, size.h, page.width, page.height]);

  // A new page (or the first size): fit its width, never enlarged past 100%.
  const pageKey = `${documentId}:${page.index}:${page.width}x${page.height}`;
  const fittedFor = useRef('');
  useLayoutEffect(() => {
    if (size.w === 0 || fittedFor.current === pageKey) return;
    fittedFor.current = pageKey;
    painted.current = false;
    setView(fitWidthView());
  }, [pageKey, size.w, fitWidthView]);

  useEffect(() => {
    if (view) props.onView?.(view);
  }, [view, props.onView]);

  // The picture for this zoom: a larger one once the zoom needs it; the one shown stays until the next is decoded.
  const side = view ? pictureSide(long, view.scale, window.devicePixelRatio || 1) : 0;
  useEffect(() => {
    if (side === 0) return;
    let live = true;
    images.url(documentId, page.index, side).then(
      async (url) => {
        const img = new Image();
        img.src = url;
        await img.decode().catch(() => undefined);
        if (live) setPicture((p) => (p && p.url === url ? p : { url, side }));
      },
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [images, documentId, page.index, side]);
  // A picture of another page is not shown under this one's boxes.
  const pictureKey = useRef('');
  useEffect(() => {
    if (pictureKey.current !== `${documentId}:${page.index}`) {
      pictureKey.current = `${documentId}:${page.index}`;
      setPicture(null);
    }
  }, [documentId, page.index]);

  useEffect(() => {
    if (!picture || !view || painted.current) return;
    painted.current = true;
    requestAnimationFrame(() => setTimeout(() => props.onPainted?.(), 0));
  }, [picture, view, props.onPainted]);

  const zoomAt = useCallback((factor: number, cx: number, cy: number) => {
    setView((v) => {
      if (!v) return v;
      const scale = clampZoom(v.scale * factor);
      const k = scale / v.scale;
      return { scale, x: cx - (cx - v.x) * k, y: cy - (cy - v.y) * k };
    });
  }, []);

  useImperativeHandle(
    ref,
    () => ({
      zoomBy: (factor) => zoomAt(factor, size.w / 2, size.h / 2),
      fitWidth: () => setView(fitWidthView()),
      fitPage: () => setView(fitPageView()),
      reveal: (quad) =>
        setView((v) => {
          if (!v) return v;
          const [x1, y1, x2, y2] = bounds(quad);
          const [sx1, sy1, sx2, sy2] = [v.x + x1 * v.scale, v.y + y1 * v.scale, v.x + x2 * v.scale, v.y + y2 * v.scale];
          const margin = 40;
          if (sx1 >= margin && sy1 >= margin && sx2 <= size.w - margin && sy2 <= size.h - margin) return v;
          const cx = ((x1 + x2) / 2) * v.scale;
          const cy = ((y1 + y2) / 2) * v.scale;
          return { ...v, x: size.w / 2 - cx, y: size.h / 2 - cy };
        }),
      focus: () => viewport.current?.focus(),
    }),
    [zoomAt, size.w, size.h, fitWidthView, fitPageView],
  );

  // Ctrl+wheel zooms around the pointer, the wheel pans (a non-passive listener, to keep the page from scrolling).
  useEffect(() => {
    const el = viewport.current;
    if (!el) return;
    const onWheel = (e: WheelEvent) => {
      e.preventDefault();
      const r = el.getBoundingClientRect();
      if (e.ctrlKey || e.metaKey) zoomAt(Math.exp(-e.deltaY / 300), e.clientX - r.left, e.clientY - r.top);
      else setView((v) => (v ? { ...v, x: v.x - e.deltaX, y: v.y - e.deltaY } : v));
    };
    el.addEventListener('wheel', onWheel, { passive: false });
    return () => el.removeEventListener('wheel', onWheel);
  }, [zoomAt]);

  // Pointer: a click selects, a drag pans (or draws a box in drawing mode), a double click edits.
  const gesture = useRef<{ x: number; y: number; vx: number; vy: number; moved: boolean; start: [number, number] } | null>(null);
  const toPage = (clientX: number, clientY: number): [number, number] => {
    const r = viewport.current!.getBoundingClientRect();
    const v = view!;
    return [(clientX - r.left - v.x) / v.scale, (clientY - r.top - v.y) / v.scale];
  };
  const clampPage = (p: [number, number]): [number, number] => [Math.min(page.width, Math.max(0, Math.round(p[0]))), Math.min(page.height, Math.max(0, Math.round(p[1])))];
  const rect = (a: [number, number], b: [number, number]): Quad => {
    const [x1, y1] = [Math.min(a[0], b[0]), Math.min(a[1], b[1])];
    const [x2, y2] = [Math.max(a[0], b[0]), Math.max(a[1], b[1])];
    return [[x1, y1], [x2, y1], [x2, y2], [x1, y2]];
  };

  const onPointerDown = (e: React.PointerEvent) => {
    if (!view || e.button !== 0) return;
    (e.currentTarget as HTMLElement).setPointerCapture(e.pointerId);
    gesture.current = { x: e.clientX, y: e.clientY, vx: view.x, vy: view.y, moved: false, start: clampPage(toPage(e.clientX, e.clientY)) };
  };
  const onPointerMove = (e: React.PointerEvent) => {
    const g = gesture.current;
    if (!g) return;
    const dx = e.clientX - g.x;
    const dy = e.clientY - g.y;
    if (!g.moved && Math.hypot(dx, dy) < 4) return;
    g.moved = true;
    if (props.drawing) setDraft(rect(g.start, clampPage(toPage(e.clientX, e.clientY))));
    else setView((v) => (v ? { ...v, x: g.vx + dx, y: g.vy + dy } : v));
  };
  const onPointerUp = (e: React.PointerEvent) => {
    const g = gesture.current;
    gesture.current = null;
    if (!g) return;
    if (props.drawing) {
      const quad = rect(g.start, clampPage(toPage(e.clientX, e.clientY)));
      setDraft(null);
      if (quad[1][0] - quad[0][0] >= 4 && quad[2][1] - quad[1][1] >= 4) props.onDrawn(quad);
      return;
    }
    if (g.moved) return;
    const target = document.elementsFromPoint(e.clientX, e.clientY).find((el) => el instanceof SVGElement && (el.dataset.word || el.dataset.line)) as SVGElement | undefined;
    if (target?.dataset.word) props.onSelect({ kind: 'word', id: target.dataset.word });
    else if (target?.dataset.line) props.onSelect({ kind: 'line', id: target.dataset.line });
    else props.onSelect(null);
  };
  const onDoubleClick = (e: React.MouseEvent) => {
    if (props.drawing) return;
    const target = document.elementsFromPoint(e.clientX, e.clientY).find((el) => el instanceof SVGElement && (el.dataset.word || el.dataset.line)) as SVGElement | undefined;
    if (target?.dataset.word) props.onEdit({ kind: 'word', id: target.dataset.word });
    else if (target?.dataset.line) props.onEdit({ kind: 'line', id: target.dataset.line });
  };

  const toScreen = useCallback(
    (q: Quad): ScreenBox => {
      const v = view ?? { scale: 1, x: 0, y: 0 };
      const [x1, y1, x2, y2] = bounds(q);
      return { left: v.x + x1 * v.scale, top: v.y + y1 * v.scale, width: (x2 - x1) * v.scale, height: (y2 - y1) * v.scale };
    },
    [view],
  );

  const boxes = useMemo(() => <Boxes page={page} threshold={props.threshold} matches={props.matches} />, [page, props.threshold, props.matches]);

  return (
    <div
      ref={viewport}
      className={`ed-viewport${props.drawing ? ' drawing' : ''}`}
      data-testid="editor-canvas"
      role="region"
      aria-label={props.label}
      aria-roledescription="page"
      tabIndex={0}
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={onPointerUp}
      onPointerCancel={() => (gesture.current = null)}
      onDoubleClick={onDoubleClick}
      // Focusing something inside (the in-place editor) must not scroll the viewport: the view's transform places the page.
      onScroll={(e) => {
        e.currentTarget.scrollTop = 0;
        e.currentTarget.scrollLeft = 0;
      }}
    >
      {view ? (
        <div
          className="ed-stage"
          data-testid="editor-stage"
          data-scale={view.scale.toFixed(3)}
          data-picture={picture?.side ?? 0}
          style={{ width: page.width, height: page.height, transform: `translate(${view.x}px, ${view.y}px) scale(${view.scale})` }}
        >
          {picture ? <img className="ed-picture" src={picture.url} alt="" width={page.width} height={page.height} draggable={false} /> : <div className="ed-picture placeholder" aria-busy="true" />}
          <svg className="ed-boxes" width={page.width} height={page.height} viewBox={`0 0 ${page.width} ${page.height}`} aria-hidden="true">
            {boxes}
            {props.currentMatch ? <polygon className="ed-current-match" points={points(props.currentMatch)} /> : null}
            {props.selected ? <polygon className="ed-selected" data-testid="editor-selection" points={points(props.selected)} /> : null}
            {props.proposals.map((l, i) => (
              <polygon key={i} className="ed-proposal" points={points(l.box)} />
            ))}
            {props.region ? <polygon className="ed-region" points={points(props.region)} /> : null}
            {draft ? <polygon className="ed-region drawing" points={points(draft)} /> : null}
          </svg>
        </div>
      ) : null}
      {props.hint ? <p className="ed-canvas-hint">{props.hint}</p> : null}
      {view && props.overlay ? (
        // Clicks and drags inside what floats over the page belong to it, not to the page's pan and select.
        <div className="ed-overlay" onPointerDown={(e) => e.stopPropagation()} onPointerUp={(e) => e.stopPropagation()} onDoubleClick={(e) => e.stopPropagation()}>
          {props.overlay(toScreen)}
        </div>
      ) : null}
    </div>
  );
});
