/**
 * Polls `read` every 10 ms until it returns something other than undefined or false; throws
 * "timed out waiting for <what>" after `timeoutMs`. For state that arrives over real sockets.
 */
export async function waitFor<T>(read: () => T | undefined | false, what: string, timeoutMs = 8000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = read();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
