/**
 * A box on the page to work on as a whole (RegionPanel): drawn with the mouse (`drawing`), or a selected line
 * taken as one. It is read again by the service (turned as chosen) into a proposal, which becomes an edit only when
 * applied; or its text is typed in as a new line; or its lines are deleted.
 */
import { useCallback, useState } from 'react';
import type { PageOrientation, Quad } from '../../../common/result.ts';
import { useApp } from '../../context.tsx';
import { messageOf } from '../../lib/failure.ts';
import { current } from './editor-model.ts';
import type { RegionState } from './RegionPanel.tsx';
import type { DraftSession } from './use-draft.ts';

export interface Region {
  readonly quad: Quad;
  readonly state: RegionState;
}

export interface RegionCommands {
  /** Dragging on the page draws a region. */
  readonly drawing: boolean;
  readonly region: Region | null;
  readonly setDrawing: (drawing: boolean | ((d: boolean) => boolean)) => void;
  readonly open: (quad: Quad) => void;
  readonly read: () => Promise<void>;
  readonly rotate: (rotation: PageOrientation) => void;
  /** Replaces the region's lines with the proposal read. */
  readonly apply: () => void;
  /** A new line in the region, of text typed. */
  readonly add: (text: string) => void;
  /** Deletes the region's lines. */
  readonly clear: () => void;
  readonly close: () => void;
  /** No region and no drawing (a page just opened). */
  readonly reset: () => void;
}

export function useRegion(draft: DraftSession): RegionCommands {
  const { client } = useApp();
  const { editingRef, doEdits } = draft;
  const [drawing, setDrawing] = useState(false);
  const [region, setRegion] = useState<Region | null>(null);

  const open = useCallback((quad: Quad) => {
    const p = editingRef.current && current(editingRef.current.draft);
    setDrawing(false);
    setRegion({ quad, state: { rotation: (p?.orientation ?? 0) as PageOrientation, reading: false, proposal: null, problem: null } });
  }, []);

  const read = useCallback(async () => {
    const e = editingRef.current;
    if (!e || !region) return;
    const quad = region.quad;
    setRegion((r) => (r ? { ...r, state: { ...r.state, reading: true, problem: null, proposal: null } } : r));
    try {
      const found = await client.recogniseRegion({ documentId: e.documentId, page: e.page, quad, rotation: region.state.rotation });
      setRegion((r) => (r && r.quad === quad ? { ...r, state: { ...r.state, reading: false, proposal: found.lines } } : r));
    } catch (error) {
      setRegion((r) => (r && r.quad === quad ? { ...r, state: { ...r.state, reading: false, problem: messageOf(error) } } : r));
    }
  }, [client, region]);

  return {
    drawing,
    region,
    setDrawing,
    open,
    read,
    rotate: (rotation) => setRegion((r) => (r ? { ...r, state: { ...r.state, rotation, proposal: null } } : r)),
    apply: () => {
      if (region?.state.proposal && doEdits([{ op: 'replace-region', region: region.quad, lines: [...region.state.proposal] }])) setRegion(null);
    },
    add: (text) => {
      if (region && doEdits([{ op: 'add-line', box: region.quad, text }])) setRegion(null);
    },
    clear: () => {
      if (region && doEdits([{ op: 'replace-region', region: region.quad, lines: [] }])) setRegion(null);
    },
    close: () => setRegion(null),
    reset: () => {
      setRegion(null);
      setDrawing(false);
    },
  };
}
