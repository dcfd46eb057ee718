/**
 * UI state that is not the client core's business: where the user is, open dialogs, reply and
 * edit modes, drafts. Lives outside React so any component can read a slice of it; the
 * navigation part is remembered in localStorage so a reload returns to the same channel.
 */
import type { Snowflake } from '../../shared/snowflake.js';

/** Open dialog, if any. One at a time, as in Discord. */
export type ModalState =
  | { type: 'create-guild' }
  | { type: 'join-guild'; code?: string }
  | { type: 'invite'; guildId: Snowflake; channelId: Snowflake }
  | { type: 'guild-settings'; guildId: Snowflake; tab?: GuildSettingsTab }
  | { type: 'leave-guild'; guildId: Snowflake }
  | { type: 'create-channel'; guildId: Snowflake; parentId: Snowflake | null; channelType: 0 | 2 | 4 }
  | { type: 'user-settings'; tab?: UserSettingsTab }
  | { type: 'quick-switcher' }
  | { type: 'delete-message'; channelId: Snowflake; messageId: Snowflake };

export type GuildSettingsTab = 'overview' | 'channels' | 'roles' | 'members' | 'invites' | 'bots';
export type UserSettingsTab = 'account' | 'devices' | 'appearance' | 'notifications' | 'voice' | 'app';

/** A profile pop-out opened from a name or avatar. */
export interface ProfileTarget {
  userId: Snowflake;
  guildId: Snowflake | null;
  /** Where to place it (the clicked element's box). */
  x: number;
  y: number;
}

export interface UiState {
  selectedGuildId: Snowflake | null;
  /** Last channel viewed in each guild. */
  channelByGuild: Record<Snowflake, Snowflake>;
  collapsedCategories: Record<Snowflake, true>;
  modal: ModalState | null;
  showMembers: boolean;
  /** Below 980 px the member list is a drawer over the chat, closed until asked for (not remembered). */
  membersDrawer: boolean;
  profile: ProfileTarget | null;
  /** Reply mode per channel: the message replied to. */
  replyTo: Record<Snowflake, Snowflake>;
  /** The message being edited inline. */
  editing: { channelId: Snowflake; messageId: Snowflake } | null;
  /** A message to scroll to and flash (reply jump); `token` makes repeated jumps distinct. */
  jump: { channelId: Snowflake; messageId: Snowflake; token: number } | null;
}

const STORAGE_KEY = 'hearth.ui';

/** The channel last viewed in the selected guild: the one the layout opens (if it still exists). */
export function selectRememberedChannelId(state: UiState): Snowflake | undefined {
  return state.selectedGuildId ? state.channelByGuild[state.selectedGuildId] : undefined;
}

/** The remembered part of the UI state. */
type Remembered = Pick<UiState, 'selectedGuildId' | 'channelByGuild' | 'collapsedCategories' | 'showMembers'>;

function loadRemembered(storage: Storage | null): Partial<Remembered> {
  try {
    const raw = storage?.getItem(STORAGE_KEY);
    if (!raw) return {};
    const value = JSON.parse(raw) as Partial<Remembered>;
    return typeof value === 'object' && value !== null ? value : {};
  } catch {
    return {};
  }
}

export class UiStore {
  private state: UiState;
  private readonly listeners = new Set<() => void>();

  constructor(private readonly storage: Storage | null = safeLocalStorage()) {
    const remembered = loadRemembered(storage);
    this.state = {
      selectedGuildId: typeof remembered.selectedGuildId === 'string' ? remembered.selectedGuildId : null,
      channelByGuild: remembered.channelByGuild ?? {},
      collapsedCategories: remembered.collapsedCategories ?? {},
      showMembers: remembered.showMembers ?? true,
      membersDrawer: false,
      modal: null,
      profile: null,
      replyTo: {},
      editing: null,
      jump: null,
    };
  }

  readonly getState = (): UiState => this.state;

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Applies a change and notifies; remembered fields are saved. */
  update(change: Partial<UiState> | ((state: UiState) => Partial<UiState>)): void {
    const patch = typeof change === 'function' ? change(this.state) : change;
    this.state = { ...this.state, ...patch };
    this.save();
    for (const listener of this.listeners) listener();
  }

  selectChannel(guildId: Snowflake, channelId: Snowflake): void {
    this.update((s) => ({
      selectedGuildId: guildId,
      channelByGuild: { ...s.channelByGuild, [guildId]: channelId },
      editing: null,
    }));
  }

  selectGuild(guildId: Snowflake | null): void {
    this.update({ selectedGuildId: guildId, editing: null });
  }

  openModal(modal: ModalState): void {
    this.update({ modal, profile: null });
  }

  closeModal(): void {
    this.update({ modal: null });
  }

  toggleCategory(categoryId: Snowflake): void {
    this.update((s) => {
      const collapsed = { ...s.collapsedCategories };
      if (collapsed[categoryId]) delete collapsed[categoryId];
      else collapsed[categoryId] = true;
      return { collapsedCategories: collapsed };
    });
  }

  setReplyTo(channelId: Snowflake, messageId: Snowflake | null): void {
    this.update((s) => {
      const replyTo = { ...s.replyTo };
      if (messageId) replyTo[channelId] = messageId;
      else delete replyTo[channelId];
      return { replyTo };
    });
  }

  jumpTo(channelId: Snowflake, messageId: Snowflake): void {
    this.update((s) => ({ jump: { channelId, messageId, token: (s.jump?.token ?? 0) + 1 } }));
  }

  private save(): void {
    const { selectedGuildId, channelByGuild, collapsedCategories, showMembers } = this.state;
    try {
      this.storage?.setItem(STORAGE_KEY, JSON.stringify({ selectedGuildId, channelByGuild, collapsedCategories, showMembers }));
    } catch {
      // Storage full or disabled (private mode): navigation just is not remembered.
    }
  }
}

function safeLocalStorage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}
