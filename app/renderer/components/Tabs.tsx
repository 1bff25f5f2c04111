/**
 * An ARIA tab list (WAI-ARIA Authoring Practices, automatic activation): one tab stop, arrow keys move between
 * tabs, Home and End go to the ends.
 */
import { useRef, type KeyboardEvent, type ReactNode } from 'react';

export interface TabItem<T extends string> {
  readonly id: T;
  readonly label: string;
  /** A small count or mark after the label. */
  readonly badge?: ReactNode;
}

export function Tabs<T extends string>(props: { label: string; items: readonly TabItem<T>[]; selected: T; onSelect: (id: T) => void; idPrefix: string }): ReactNode {
  const refs = useRef(new Map<T, HTMLButtonElement>());
  const onKeyDown = (event: KeyboardEvent) => {
    const i = props.items.findIndex((t) => t.id === props.selected);
    const n = props.items.length;
    const next = { ArrowRight: (i + 1) % n, ArrowDown: (i + 1) % n, ArrowLeft: (i - 1 + n) % n, ArrowUp: (i - 1 + n) % n, Home: 0, End: n - 1 }[event.key];
    if (next === undefined) return;
    event.preventDefault();
    const id = props.items[next]!.id;
    props.onSelect(id);
    refs.current.get(id)?.focus();
  };
  return (
    <div role="tablist" aria-label={props.label} className="tabs" onKeyDown={onKeyDown}>
      {props.items.map((item) => {
        const selected = item.id === props.selected;
        return (
          <button
            key={item.id}
            ref={(el) => {
              if (el) refs.current.set(item.id, el);
              else refs.current.delete(item.id);
            }}
            type="button"
            role="tab"
            id={`${props.idPrefix}-tab-${item.id}`}
            aria-selected={selected}
            aria-controls={selected ? `${props.idPrefix}-panel-${item.id}` : undefined}
            tabIndex={selected ? 0 : -1}
            className="tab"
            onClick={() => props.onSelect(item.id)}
          >
            {item.label}
            {item.badge}
          </button>
        );
      })}
    </div>
  );
}
