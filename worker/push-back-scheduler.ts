// A scheduler for callbacks that keep being pushed back (the parser's idle flush, moved on every write).

export type Schedule = (callback: () => void, delayMs: number) => () => void;

/**
 * Schedules one callback at a time; scheduling again replaces it and moves its due time, while the one timer
 * already running stays, and on firing early waits out the rest. Clearing and setting a timer on every write cost
 * about a tenth of the room's time while keys echoed.
 */
export function pushBackScheduler(now: () => number = Date.now): Schedule {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let pending: (() => void) | undefined;
  let due = 0;
  const fire = (): void => {
    timer = undefined;
    if (!pending) return;
    const wait = due - now();
    if (wait > 0) {
      timer = setTimeout(fire, wait);
      return;
    }
    const callback = pending;
    pending = undefined;
    callback();
  };
  return (callback, delayMs) => {
    pending = callback;
    due = now() + delayMs;
    timer ??= setTimeout(fire, delayMs);
    return () => {
      if (pending === callback) pending = undefined;
    };
  };
}
