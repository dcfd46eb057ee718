/**
 * The client state types, declared in `src/shared/ipc/state.ts` (they cross the bridge) and
 * re-exported here for code in the client core.
 */
export type {
  BridgeError, ChannelReadState, ClientAction, ClientMessage, ClientState, ConnectionState, ConnectionStatus,
  DispatchAction, GuildState, HistoryDirection, MessageDelivery, MessageWindow, PresenceState, SelfVoiceState,
} from '../../shared/ipc/state.js';

/** How long a TYPING_START shows, as Discord's clients (10 s). */
export const TYPING_DURATION_MS = 10_000;
