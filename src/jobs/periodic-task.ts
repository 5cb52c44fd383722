/** A task run every so often, never twice at once, that can be stopped and waited for. */
export interface PeriodicTask {
  /** Stops scheduling and waits for a run in progress to end. */
  stop(): Promise<void>;
}

/** Runs `task` now and then every `intervalMs` after each run ends; a failing run is reported and the next goes ahead. */
export function runPeriodically(intervalMs: number, task: () => Promise<void>, onError: (error: unknown) => void): PeriodicTask {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const tick = () => {
    running = task()
      .catch(onError)
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, intervalMs);
      });
  };
  tick();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
