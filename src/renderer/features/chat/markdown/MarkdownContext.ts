/**
 * What the markdown renderer needs from the app to show mentions and open links. Provided once
 * near the message pane; tests provide their own.
 */
import { createContext } from 'react';

export interface MarkdownResolvers {
  /** Display name of a user, or null when unknown (rendered as "@unknown-user"). */
  userName(id: string): string | null;
  /** Name of a channel, or null when unknown. */
  channelName(id: string): string | null;
  /** Name and colour (0 = none) of a role, or null when unknown. */
  role(id: string): { name: string; color: number } | null;
  /** The signed-in user's ID, to highlight mentions of me. */
  meId: string | null;
  /** Opens an http(s) URL outside the app (the bridge decides how). */
  openExternal(url: string): void;
  /** Switches to a channel when its link is clicked. */
  openChannel(id: string): void;
  /** Shows a user's profile when a mention is clicked. */
  openUser?(id: string, anchor: HTMLElement): void;
}

/** Defaults that render names as unknown and do nothing on click. */
export const defaultResolvers: MarkdownResolvers = {
  userName: () => null,
  channelName: () => null,
  role: () => null,
  meId: null,
  openExternal: () => undefined,
  openChannel: () => undefined,
};

export const MarkdownContext = createContext<MarkdownResolvers>(defaultResolvers);
