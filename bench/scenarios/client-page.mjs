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
 * Scrolls the message log (or the nearest scrolling element around it) to its end, where the
 * newest messages are, so a virtualized list renders them.
 */
export function scrollLogToEnd() {
  /** @type {HTMLElement | null} */
  let element = document.querySelector('[role="log"]');
  while (element && element.scrollHeight <= element.clientHeight) element = element.parentElement;
  if (element) element.scrollTop = element.scrollHeight;
}
