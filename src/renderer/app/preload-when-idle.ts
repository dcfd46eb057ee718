/**
 * Fetching code that the first screen does not need (voice's peer library, dialogs) once start-up
 * is over, so it is ready before the user asks for it without competing with the first paint.
 */

/** How long after start-up the browser is first asked for an idle moment. */
const PRELOAD_AFTER_MS = 3000;

/**
 * Runs `load` in an idle moment a few seconds after start-up. A failure is ignored here: the
 * code is loaded again, and a failure reported, where it is used.
 */
export function preloadWhenIdle(load: () => Promise<unknown>): void {
  const run = () => void load().catch(() => undefined);
  window.setTimeout(() => {
    if (typeof window.requestIdleCallback === 'function') window.requestIdleCallback(run, { timeout: PRELOAD_AFTER_MS });
    else run();
  }, PRELOAD_AFTER_MS);
}
