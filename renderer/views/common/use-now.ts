// The current time, re-read every `intervalMs`: for countdowns and "reconnecting in N s".
import { useEffect, useState } from 'react';
import { useApp } from '../app-context';

export function useNow(intervalMs = 1000): number {
  const { now } = useApp();
  const [time, setTime] = useState(now);
  useEffect(() => {
    const timer = setInterval(() => setTime(now()), intervalMs);
    return () => clearInterval(timer);
  }, [now, intervalMs]);
  return time;
}
