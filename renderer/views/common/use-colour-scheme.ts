// Whether the system asks for a dark or a light page, followed as it changes: for what CSS cannot
// colour by itself (the usage chart draws on a canvas).
import { useEffect, useState } from 'react';

const DARK = '(prefers-color-scheme: dark)';

export function useColourScheme(): 'light' | 'dark' {
  const [dark, setDark] = useState(() => window.matchMedia(DARK).matches);
  useEffect(() => {
    const query = window.matchMedia(DARK);
    const follow = () => setDark(query.matches);
    query.addEventListener('change', follow);
    return () => query.removeEventListener('change', follow);
  }, []);
  return dark ? 'dark' : 'light';
}
