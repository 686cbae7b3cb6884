/**
 * Coalesces many notifications into one call per animation frame, so a burst of 10,000 recorded
 * events costs one render rather than 10,000. The scheduler is injected so Node tests can drive
 * frames by hand.
 */

export interface FrameScheduler {
  request(fn: () => void): number;
  cancel(handle: number): void;
}

export const animationFrames: FrameScheduler = {
  request: (fn) => requestAnimationFrame(fn),
  cancel: (handle) => cancelAnimationFrame(handle),
};

export interface FrameBatcher {
  /** Asks for a flush on the next frame; further calls before it are free. */
  notify(): void;
  /** Drops a pending flush (on unmount). */
  dispose(): void;
}

export function createFrameBatcher(
  flush: () => void,
  scheduler: FrameScheduler = animationFrames,
): FrameBatcher {
  let handle: number | undefined;
  let disposed = false;
  return {
    notify() {
      if (disposed || handle !== undefined) return;
      handle = scheduler.request(() => {
        handle = undefined;
        if (!disposed) flush();
      });
    },
    dispose() {
      disposed = true;
      if (handle !== undefined) scheduler.cancel(handle);
      handle = undefined;
    },
  };
}
