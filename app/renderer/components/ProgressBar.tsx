/** A labelled progress bar (role=progressbar, with the value in words for screen readers). */
import type { ReactNode } from 'react';

export function ProgressBar(props: { label: string; value: number; max: number; valueText?: string; tone?: 'normal' | 'paused' | 'failed' | 'done' }): ReactNode {
  const max = Math.max(1, props.max);
  const value = Math.min(max, Math.max(0, props.value));
  return (
    <div
      className={`progress ${props.tone ?? 'normal'}`}
      role="progressbar"
      aria-label={props.label}
      aria-valuemin={0}
      aria-valuemax={max}
      aria-valuenow={value}
      aria-valuetext={props.valueText}
    >
      <div className="progress-fill" style={{ width: `${(100 * value) / max}%` }} />
    </div>
  );
}
