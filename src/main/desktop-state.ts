/**
 * What the desktop shell reads from the client state: tray/badge status and the settings it
 * applies. Pure, so it is tested with states built by the real reducer.
 */
import type { ClientState } from '../shared/ipc/state.js';
import { selectGuildList } from '../client/state/selectors.js';
import type { TrayStatus } from './tray.js';

/** Unread and mention totals across guilds plus the self voice flags. */
export function trayStatusOf(state: ClientState): TrayStatus {
  let unread = false;
  let mentions = 0;
  for (const guild of selectGuildList(state)) {
    unread ||= guild.unread;
    mentions += guild.mentionCount;
  }
  return { unread, mentions, muted: state.selfVoice.selfMute, deafened: state.selfVoice.selfDeaf };
}
