import { useEffect, useState } from 'react';
import { serviceNow } from './api.ts';

/** The service's time, ticking each second: what countdowns count down from. */
export function useServiceNow(everyMs = 1000): number {
  const [now, setNow] = useState(serviceNow);
  useEffect(() => {
    const timer = setInterval(() => setNow(serviceNow()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}

/** A duration as people read it: `2 h 05 m`, `3 d 4 h`, `45 s`. */
export function duration(ms: number): string {
  const seconds = Math.floor(Math.abs(ms) / 1000);
  const days = Math.floor(seconds / 86_400);
  const hours = Math.floor((seconds % 86_400) / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  if (days > 0) return `${days} d ${hours} h`;
  if (hours > 0) return `${hours} h ${String(minutes).padStart(2, '0')} m`;
  if (minutes > 0) return `${minutes} m ${String(seconds % 60).padStart(2, '0')} s`;
  return `${seconds % 60} s`;
}
