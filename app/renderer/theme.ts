/** The theme in use: the one chosen, or the system's (`prefers-color-scheme`), followed as it changes. */
import { useEffect, useState } from 'react';
import type { ThemeChoice } from './prefs/prefs.ts';

export type Theme = 'light' | 'dark';

const darkQuery = () => matchMedia('(prefers-color-scheme: dark)');

export function resolveTheme(choice: ThemeChoice): Theme {
  if (choice !== 'system') return choice;
  return darkQuery().matches ? 'dark' : 'light';
}

export function applyTheme(theme: Theme): void {
  document.documentElement.dataset.theme = theme;
}

/** Keeps `<html data-theme>` in step with the choice and, for `system`, with the system's setting. */
export function useTheme(choice: ThemeChoice): void {
  const [system, setSystem] = useState<Theme>(() => resolveTheme('system'));
  useEffect(() => {
    const query = darkQuery();
    const update = () => setSystem(query.matches ? 'dark' : 'light');
    query.addEventListener('change', update);
    return () => query.removeEventListener('change', update);
  }, []);
  useEffect(() => applyTheme(choice === 'system' ? system : choice), [choice, system]);
}
