import { useSyncExternalStore } from 'react';
import { serviceNow } from './api.ts';

/**
 * One clock for the whole page (#37): a single timer ticks every second while anything shows a
 * countdown, and every countdown reads the same instant. A timer per row cost a worklist of two
 * thousand rows most of its main thread.
 */
const listeners = new Set<() => void>();
let tick = serviceNow();
let timer: ReturnType<typeof setInterval> | undefined;

function subscribe(listener: () => void) {
  listeners.add(listener);
  if (!timer) {
    tick = serviceNow();
    timer = setInterval(() => {
      tick = serviceNow();
      for (const each of listeners) each();
    }, 1000);
  }
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && timer) {
      clearInterval(timer);
      timer = undefined;
    }
  };
}

/** The service's time, as of the shared clock's last tick (each second): what countdowns count down from. */
export function useServiceNow(): number {
  // Before the clock runs (the first countdown's first render), the current second: stable
  // between the calls of one render, as React needs.
  return useSyncExternalStore(subscribe, currentTick);
}

function currentTick(): number {
  if (!timer) tick = Math.floor(serviceNow() / 1000) * 1000;
  return tick;
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
