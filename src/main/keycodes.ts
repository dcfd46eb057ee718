/**
 * Push-to-talk key codes live in `src/shared/keycodes.ts`: the web client's focused-window
 * push-to-talk maps DOM key codes to the same libuiohook numbers, so one binding works everywhere.
 */
export { keyLabel, mouseButtonLabel, uiohookKeyFromDomCode } from '../shared/keycodes.js';
