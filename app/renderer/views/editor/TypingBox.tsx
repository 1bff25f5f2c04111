/**
 * The correction typed in place, over the word or line it corrects: Enter applies it, Escape cancels, leaving the
 * field applies it too. Every key is the editor's draft at once (the parent keeps it), so a reload loses none.
 */
import { useEffect, useRef, type ReactNode } from 'react';

export function TypingBox(props: { box: { left: number; top: number; width: number; height: number }; label: string; hint: string; text: string; selectAll: boolean; onChange: (text: string) => void; onDone: (apply: boolean) => void }): ReactNode {
  const { box } = props;
  const height = Math.max(30, Math.min(56, box.height + 8));
  const done = useRef(false);
  const input = useRef<HTMLInputElement>(null);
  // Focused without scrolling anything, its text selected: typing replaces the word, arrows keep it.
  useEffect(() => {
    const el = input.current;
    if (!el) return;
    el.focus({ preventScroll: true });
    if (props.selectAll) el.select();
    else el.setSelectionRange(el.value.length, el.value.length);
    // Once, when it opens.
  }, []);
  return (
    <div className="ed-typing" style={{ left: Math.max(4, box.left - 4), top: Math.max(4, box.top - 4), minWidth: Math.max(160, box.width + 40) }}>
      <input
        ref={input}
        type="text"
        aria-label={props.label}
        aria-describedby="ed-typing-hint"
        data-testid="editor-input"
        value={props.text}
        style={{ height, fontSize: Math.max(15, Math.min(26, height * 0.55)) }}
        spellCheck={false}
        onChange={(e) => props.onChange(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            e.preventDefault();
            done.current = true;
            props.onDone(true);
          } else if (e.key === 'Escape') {
            e.preventDefault();
            e.stopPropagation();
            done.current = true;
            props.onDone(false);
          }
        }}
        onBlur={() => {
          if (!done.current) props.onDone(true);
        }}
      />
      <span id="ed-typing-hint" className="ed-typing-hint">
        {props.hint}
      </span>
    </div>
  );
}
