/** A job's or document's state as a small coloured label (the colour is never the only sign: the word is there). */
import type { ReactNode } from 'react';
import type { DocumentState, JobState } from '../../common/api/resources.ts';
import { useApp } from '../context.tsx';

export function StatePill(props: { state: JobState | DocumentState }): ReactNode {
  const { t } = useApp();
  return <span className={`pill state-${props.state}`}>{t(`state_${props.state}`)}</span>;
}
