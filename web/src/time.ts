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
