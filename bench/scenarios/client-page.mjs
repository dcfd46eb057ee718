// Code that runs inside the web client's page (passed to playwright as functions), kept apart
// because it uses browser globals.
/* global document, window, requestAnimationFrame, MutationObserver */

/** Runs in the page before its scripts: notes when the first message enters the log, then the frame after. */
export function paintObserver() {
  const observer = new MutationObserver(() => {
    if (!document.querySelector('[role="log"] article')) return;
    observer.disconnect();
    const found = performance.now();
    requestAnimationFrame(() => setTimeout(() => Object.assign(window, { __firstMessage: { found, painted: performance.now() } }), 0));
  });
  observer.observe(document, { childList: true, subtree: true });
}

/**
 * A returning user's local storage: server, token, cached user, and the channel left open.
 * @param {{ url: string, token: string, user: unknown, guildId: string, channelId: string }} s
 */
export function rememberSession(s) {
  localStorage.setItem('hearth.serverUrl', s.url);
  localStorage.setItem('hearth.token', s.token);
  localStorage.setItem('hearth.user', JSON.stringify(s.user));
  localStorage.setItem('hearth.ui', JSON.stringify({ selectedGuildId: s.guildId, channelByGuild: { [s.guildId]: s.channelId } }));
}

/**
 * The first message's timing once noted (milliseconds since navigation start), else undefined.
 * @returns {{ found: number, painted: number } | undefined}
 */
export function firstMessageTiming() {
  return /** @type {any} */ (window).__firstMessage;
}

/**
 * One step of returning to the present: true when the message log was already at its end (the
 * newest messages in view, so the list follows new ones); otherwise scrolls it there and returns
 * false. Polled until it returns true: rows measured on the way change the log's height.
 */
export function scrollLogToEnd() {
  const log = document.querySelector('[role="log"]');
  if (!log) return false;
  if (log.scrollHeight - log.scrollTop - log.clientHeight <= 2) return true;
  log.scrollTop = log.scrollHeight;
  return false;
}

/** How far (px) the message log is from its end: 0 when the newest messages are in view. */
export function distanceFromLogEnd() {
  const log = document.querySelector('[role="log"]');
  return log ? Math.max(0, log.scrollHeight - log.scrollTop - log.clientHeight) : -1;
}

/**
 * One step of reading back through a channel: true once the log shows the channel's start (every
 * older page is loaded); otherwise scrolls the log to its top, where the client loads the next
 * older page, and returns false. Polled until it returns true.
 */
export function scrollLogToStart() {
  const log = document.querySelector('[role="log"]');
  if (!log) return false;
  // The start row can be rendered (overscan) while the log sits a little below the top, where the
  // oldest messages are outside the virtualizer's window: done only once the log is at its top.
  if (log.querySelector('.channel-start') && log.scrollTop === 0) return true;
  log.scrollTop = 0;
  return false;
}

/**
 * `performance.measureUserAgentSpecificMemory()` in bytes (the page's whole memory as the browser
 * accounts it, DOM included), or null where the page is not cross-origin isolated, which the API
 * requires.
 * @returns {Promise<number | null>}
 */
export async function userAgentMemory() {
  const measure = /** @type {any} */ (performance).measureUserAgentSpecificMemory;
  if (!window.crossOriginIsolated || typeof measure !== 'function') return null;
  const result = await measure.call(performance);
  return result.bytes;
}
