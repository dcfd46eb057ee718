/**
 * Component-test harness: a recording bridge, the real StateMirror and reducer fed with a READY
 * built from plain entities, the UI store, and jsdom layout sizes the virtualizer can work with.
 */
import type { ReactNode } from 'react';
import { cleanup, render } from '@testing-library/react';
import { afterEach, beforeEach } from 'vitest';
import { BRIDGE_METHODS, type BridgeListener, type BridgeResult, type HearthBridge, type HostEvent } from '../../shared/ipc/bridge.js';
import type { ClientAction, ClientState } from '../../shared/ipc/state.js';
import type { GatewayGuild, ReadyData } from '../../shared/protocol/gateway.js';
import type { Channel, GuildMember, Message, Presence, Role, User } from '../../shared/protocol/entities.js';
import { createInitialState, reduce } from '../../client/state/reducer.js';
import { StateMirror } from '../../client/state/mirror.js';
import { UiStore } from '../app/ui-store.js';
import { AppContext, type AppServices } from '../app/hooks.js';

export const GUILD_ID = '100';
export const CHANNEL_ID = '200';
export const ME: User = { id: '1', username: 'ada', discriminator: '0', global_name: 'Ada', avatar: null };

export function user(id: string, name: string): User {
  return { id, username: name.toLowerCase(), discriminator: '0', global_name: name, avatar: null };
}

export function member(u: User, roles: string[] = []): GuildMember {
  return { user: u, nick: null, avatar: null, roles, joined_at: '2026-01-01T00:00:00.000Z', premium_since: null, deaf: false, mute: false, flags: 0, pending: false, communication_disabled_until: null };
}

export function role(id: string, name: string, position: number, extra: Partial<Role> = {}): Role {
  return { id, name, color: 0, hoist: false, icon: null, unicode_emoji: null, position, permissions: '0', managed: false, mentionable: false, flags: 0, ...extra };
}

export function textChannel(id: string, name: string, extra: Partial<Channel> = {}): Channel {
  return { id, type: 0, guild_id: GUILD_ID, name, position: 0, parent_id: null, permission_overwrites: [], flags: 0, last_message_id: null, ...extra };
}

/** Message IDs are snowflakes: keep them ordered by making them numeric strings. */
export function message(id: number, author: User, content: string, timestamp: string, extra: Partial<Message> = {}): Message {
  return {
    id: String(1_000_000 + id), channel_id: CHANNEL_ID, guild_id: GUILD_ID, author, content, timestamp, edited_timestamp: null, tts: false,
    mention_everyone: false, mentions: [], mention_roles: [], attachments: [], embeds: [], pinned: false, type: 0, flags: 0, ...extra,
  };
}

export interface GuildSetup {
  members?: GuildMember[];
  roles?: Role[];
  presences?: Presence[];
  channels?: Channel[];
  /** Permissions of @everyone (default: send, react, attach, view). */
  everyonePermissions?: bigint;
}

/** The state after READY with one guild (I am not its owner, so permissions come from roles). */
export function readyState(setup: GuildSetup = {}): ClientState {
  const everyone = role(GUILD_ID, '@everyone', 0, { permissions: String(setup.everyonePermissions ?? ((1n << 10n) | (1n << 11n) | (1n << 6n) | (1n << 15n) | (1n << 16n))) });
  const guild: GatewayGuild = {
    id: GUILD_ID, name: 'Test Guild', icon: null, owner_id: '999', roles: [everyone, ...(setup.roles ?? [])], emojis: [], features: [],
    description: null, verification_level: 0, default_message_notifications: 0, explicit_content_filter: 0, mfa_level: 0,
    system_channel_id: null, afk_channel_id: null, afk_timeout: 300, premium_tier: 0, preferred_locale: 'en-US', nsfw_level: 0,
    joined_at: '2026-01-01T00:00:00.000Z', large: false, unavailable: false,
    member_count: (setup.members?.length ?? 0) + 1,
    channels: setup.channels ?? [textChannel(CHANNEL_ID, 'general')],
    members: [member(ME), ...(setup.members ?? [])],
    presences: setup.presences ?? [], voice_states: [], threads: [], stickers: [],
  };
  const ready: ReadyData = {
    v: 10, user: { ...ME, mfa_enabled: false, verified: true, locale: 'en-US' }, guilds: [guild], session_id: 's', resume_gateway_url: 'ws://x',
    session_type: 'normal', private_channels: [], relationships: [], read_state: [], hearth: { ice_servers: [], voice_mesh_limit: 8 },
  };
  let state = createInitialState(undefined, 'http://hearth.test');
  state = reduce(state, { type: 'dispatch', t: 'READY', d: ready, receivedAt: Date.now() });
  return reduce(state, { type: 'connection', connection: { status: 'ready', reason: null, closeCode: null, attempt: 0, retryAt: null } });
}

/** Loads messages into the channel window as the newest page. */
export function withMessages(state: ClientState, messages: Message[], hasMore = false): ClientState {
  return reduce(state, { type: 'history/loaded', channelId: CHANNEL_ID, direction: 'latest', messages: [...messages].reverse(), limit: hasMore ? messages.length : messages.length + 1 });
}

/** A bridge that records every call and answers `{ok: true, value: null}` unless told otherwise. */
export class FakeBridge {
  readonly calls: { method: string; args: unknown[] }[] = [];
  readonly answers = new Map<string, BridgeResult<unknown>>();
  private listener: BridgeListener | null = null;
  readonly bridge: HearthBridge;

  constructor(private state: ClientState) {
    const methods: Record<string, unknown> = {
      subscribe: (listener: BridgeListener) => {
        this.listener = listener;
        listener({ type: 'snapshot', state: this.state });
        return () => (this.listener = null);
      },
    };
    for (const name of BRIDGE_METHODS) {
      methods[name] = (...args: unknown[]) => {
        this.calls.push({ method: name, args });
        return Promise.resolve(this.answers.get(name) ?? { ok: true, value: null });
      };
    }
    this.bridge = methods as unknown as HearthBridge;
  }

  /** Applies an action as the client core would push it. */
  push(action: ClientAction): void {
    this.state = reduce(this.state, action);
    this.listener?.({ type: 'action', action });
  }

  /** Pushes an event from the desktop host (update, deep link, push-to-talk...). */
  host(event: HostEvent): void {
    this.listener?.({ type: 'host', event });
  }

  callsOf(method: string): unknown[][] {
    return this.calls.filter((c) => c.method === method).map((c) => c.args);
  }
}

/** Renders `ui` inside the app's providers over `state`; `answers` are set before it renders (for calls made on mount). */
export function renderWithApp(ui: ReactNode, state: ClientState, answers: Record<string, BridgeResult<unknown>> = {}) {
  const fake = new FakeBridge(state);
  for (const [method, answer] of Object.entries(answers)) fake.answers.set(method, answer);
  const services: AppServices = { bridge: fake.bridge, store: new StateMirror(fake.bridge), ui: new UiStore(null) };
  const result = render(<AppContext.Provider value={services}>{ui}</AppContext.Provider>);
  return { ...result, fake, services };
}

/**
 * jsdom has no layout: give scroll containers a viewport and rows a height so the virtualizer
 * renders a window of rows as in a browser.
 */
/** For every test of the file: the layout of {@link installLayout}, and the rendered tree cleaned up after. */
export function layoutInEachTest(viewport?: number, rowHeight?: number): void {
  let restore = () => {};
  beforeEach(() => {
    restore = installLayout(viewport, rowHeight);
  });
  afterEach(() => {
    cleanup();
    restore();
  });
}

export function installLayout(viewport = 600, rowHeight = 44): () => void {
  const proto = HTMLElement.prototype;
  const saved = ['clientHeight', 'clientWidth', 'offsetHeight', 'scrollHeight'].map((key) => [key, Object.getOwnPropertyDescriptor(proto, key)] as const);
  const isScroller = (element: HTMLElement) => element.classList.contains('message-scroller') || element.classList.contains('member-scroller');
  Object.defineProperty(proto, 'clientHeight', { configurable: true, get(this: HTMLElement) { return isScroller(this) ? viewport : 0; } });
  Object.defineProperty(proto, 'clientWidth', { configurable: true, get(this: HTMLElement) { return isScroller(this) ? 800 : 0; } });
  // A scroller's content is its first child, sized by the virtualizer's total size.
  Object.defineProperty(proto, 'scrollHeight', {
    configurable: true,
    get(this: HTMLElement) {
      return isScroller(this) ? Math.max(viewport, parseFloat((this.firstElementChild as HTMLElement | null)?.style.height ?? '') || 0) : 0;
    },
  });
  Object.defineProperty(proto, 'offsetHeight', { configurable: true, get(this: HTMLElement) { return this.dataset.index !== undefined ? rowHeight : 0; } });
  // jsdom does not scroll: store the offset and tell listeners, as a browser would.
  const savedScrollTo = Object.getOwnPropertyDescriptor(Element.prototype, 'scrollTo');
  Object.defineProperty(Element.prototype, 'scrollTo', {
    configurable: true,
    value(this: Element, options: ScrollToOptions) {
      this.scrollTop = Math.max(0, options.top ?? this.scrollTop);
      this.dispatchEvent(new Event('scroll'));
    },
  });
  return () => {
    if (savedScrollTo) Object.defineProperty(Element.prototype, 'scrollTo', savedScrollTo);
    else delete (Element.prototype as unknown as Record<string, unknown>).scrollTo;
    for (const [key, descriptor] of saved) {
      if (descriptor) Object.defineProperty(proto, key, descriptor);
      else delete (proto as unknown as Record<string, unknown>)[key];
    }
  };
}
