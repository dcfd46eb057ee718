import { useEffect } from 'react';
import type { ClientSettings } from '../../shared/ipc/settings.js';

/** Applies the chosen theme to <html>; "system" follows the OS and its changes. */
export function useTheme(theme: ClientSettings['theme']): void {
  useEffect(() => {
    const root = document.documentElement;
    if (theme !== 'system') {
      root.dataset.theme = theme;
      return;
    }
    const query = window.matchMedia?.('(prefers-color-scheme: light)');
    const apply = () => {
      root.dataset.theme = query?.matches ? 'light' : 'dark';
    };
    apply();
    query?.addEventListener('change', apply);
    return () => query?.removeEventListener('change', apply);
  }, [theme]);
}
