/**
 * Coalesces many notifications into one call per animation frame, so a burst of 10,000 recorded
 * events costs one render rather than 10,000. With `minIntervalMs`, flushes are also spaced at
 * least that far apart: a connect records ~40 events in under a second, and re-rendering the
 * timeline on every frame of it was the largest cost of a connect in the page (measured: about
 * half of click-to-connected on 2 cores). The scheduler is injected so Node tests can drive frames
 * and time by hand.
 */

export interface FrameScheduler {
  request(fn: () => void): number;
  cancel(handle: number): void;
  /** Milliseconds on a monotonic clock (only needed with `minIntervalMs`). */
  now?(): number;
  /** Runs `fn` after `ms` (only needed with `minIntervalMs`). */
  later?(fn: () => void, ms: number): number;
  cancelLater?(handle: number): void;
}

export const animationFrames: FrameScheduler = {
  request: (fn) => requestAnimationFrame(fn),
  cancel: (handle) => cancelAnimationFrame(handle),
  now: () => performance.now(),
  later: (fn, ms) => window.setTimeout(fn, ms),
  cancelLater: (handle) => window.clearTimeout(handle),
};

export interface FrameBatcher {
  /** Asks for a flush on the next frame (or the next allowed one); further calls before it are free. */
  notify(): void;
  /** Drops a pending flush (on unmount). */
  dispose(): void;
}

export function createFrameBatcher(
  flush: () => void,
  scheduler: FrameScheduler = animationFrames,
  minIntervalMs = 0,
): FrameBatcher {
  let frame: number | undefined;
  let wait: number | undefined;
  let last = Number.NEGATIVE_INFINITY;
  let disposed = false;
  const now = () => scheduler.now?.() ?? 0;
  const requestFrame = () => {
    frame = scheduler.request(() => {
      frame = undefined;
      if (disposed) return;
      last = now();
      flush();
    });
  };
  return {
    notify() {
      if (disposed || frame !== undefined || wait !== undefined) return;
      const early = minIntervalMs > 0 && scheduler.later ? last + minIntervalMs - now() : 0;
      if (early <= 0 || !scheduler.later) return requestFrame();
      wait = scheduler.later(() => {
        wait = undefined;
        if (!disposed) requestFrame();
      }, early);
    },
    dispose() {
      disposed = true;
      if (frame !== undefined) scheduler.cancel(frame);
      if (wait !== undefined) scheduler.cancelLater?.(wait);
      frame = undefined;
      wait = undefined;
    },
  };
}
