/**
 * Form fields with their label, hint and, where a value is pinned by the environment or the command line, the
 * reason it cannot be changed here (the control is disabled and says why, for screen readers too).
 */
import { useId, useState, type ReactNode } from 'react';

export interface FieldProps {
  readonly label: string;
  readonly hint?: string | undefined;
  /** Why the value cannot be changed here; the control is disabled. */
  readonly pinned?: string | undefined;
}

/** Ids to link a control to its hint and pinned reason. */
function describedBy(id: string, p: FieldProps): string | undefined {
  const ids = [p.hint ? `${id}-hint` : '', p.pinned ? `${id}-pinned` : ''].filter(Boolean);
  return ids.length ? ids.join(' ') : undefined;
}

function Notes(props: FieldProps & { id: string }): ReactNode {
  return (
    <>
      {props.hint ? (
        <span className="hint" id={`${props.id}-hint`}>
          {props.hint}
        </span>
      ) : null}
      {props.pinned ? (
        <span className="pinned" id={`${props.id}-pinned`}>
          <svg viewBox="0 0 16 16" aria-hidden="true" className="lock">
            <rect x="3" y="7" width="10" height="7" rx="1.5" fill="currentColor" />
            <path d="M5.5 7V5a2.5 2.5 0 0 1 5 0v2" fill="none" stroke="currentColor" strokeWidth="1.5" />
          </svg>
          {props.pinned}
        </span>
      ) : null}
    </>
  );
}

export function TextField(props: FieldProps & { value: string; onChange: (v: string) => void; required?: boolean; type?: 'text' | 'password'; placeholder?: string; readOnly?: boolean; autoFocus?: boolean }): ReactNode {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      <input
        id={id}
        type={props.type ?? 'text'}
        value={props.value}
        onChange={(e) => props.onChange(e.target.value)}
        required={props.required}
        placeholder={props.placeholder}
        readOnly={props.readOnly}
        disabled={Boolean(props.pinned)}
        autoFocus={props.autoFocus}
        autoComplete="off"
        spellCheck={false}
        aria-describedby={describedBy(id, props)}
      />
      <Notes {...props} id={id} />
    </div>
  );
}

/**
 * A whole number; empty means "automatic" when `allowEmpty` (reported as null). The text typed is kept as typed,
 * so a half-typed value is not rewritten under the cursor.
 */
export function NumberField(props: FieldProps & { value: number | null; onChange: (v: number | null) => void; min?: number; max?: number; allowEmpty?: boolean; placeholder?: string }): ReactNode {
  const id = useId();
  const format = (v: number | null) => (v === null ? '' : String(v));
  const [text, setText] = useState(format(props.value));
  const [lastValue, setLastValue] = useState(props.value);
  if (props.value !== lastValue) {
    // The value changed from outside (a settings event, a reset): show it unless the text already says it.
    setLastValue(props.value);
    const typed = text.trim() === '' ? null : Number(text);
    if (typed !== props.value) setText(format(props.value));
  }
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      <input
        id={id}
        type="number"
        inputMode="numeric"
        step={1}
        min={props.min}
        max={props.max}
        value={text}
        required={!props.allowEmpty}
        placeholder={props.placeholder}
        disabled={Boolean(props.pinned)}
        aria-describedby={describedBy(id, props)}
        onChange={(e) => {
          setText(e.target.value);
          const v = e.target.value.trim() === '' ? null : Number(e.target.value);
          if (v === null || Number.isInteger(v)) props.onChange(v);
        }}
      />
      <Notes {...props} id={id} />
    </div>
  );
}

export function CheckField(props: FieldProps & { checked: boolean; onChange: (v: boolean) => void }): ReactNode {
  const id = useId();
  return (
    <div className="field check">
      <input id={id} type="checkbox" checked={props.checked} onChange={(e) => props.onChange(e.target.checked)} disabled={Boolean(props.pinned)} aria-describedby={describedBy(id, props)} />
      <label htmlFor={id}>{props.label}</label>
      <Notes {...props} id={id} />
    </div>
  );
}

export function SelectField<T extends string>(props: FieldProps & { value: T; options: readonly { value: T; label: string }[]; onChange: (v: T) => void }): ReactNode {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      <select id={id} value={props.value} onChange={(e) => props.onChange(e.target.value as T)} disabled={Boolean(props.pinned)} aria-describedby={describedBy(id, props)}>
        {props.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      <Notes {...props} id={id} />
    </div>
  );
}

/** Several checkboxes for one list value (formats, languages), as a labelled group. */
export function CheckGroup<T extends string>(props: FieldProps & { values: readonly T[]; options: readonly { value: T; label: string }[]; onChange: (v: T[]) => void }): ReactNode {
  const id = useId();
  const toggle = (v: T, on: boolean) => props.onChange(on ? props.options.map((o) => o.value).filter((x) => x === v || props.values.includes(x)) : props.values.filter((x) => x !== v));
  return (
    <fieldset className="field group" aria-describedby={describedBy(id, props)} disabled={Boolean(props.pinned)}>
      <legend>{props.label}</legend>
      <div className="choices">
        {props.options.map((o) => (
          <label key={o.value} className="choice">
            <input type="checkbox" checked={props.values.includes(o.value)} onChange={(e) => toggle(o.value, e.target.checked)} />
            {o.label}
          </label>
        ))}
      </div>
      <Notes {...props} id={id} />
    </fieldset>
  );
}
