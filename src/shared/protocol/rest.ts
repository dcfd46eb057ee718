/**
 * REST request and response bodies under `/api/v10`, in Discord API v10 shapes. Request bodies
 * have zod schemas: the server parses each body once at the edge with them, and the client may
 * validate forms with the same rules. Hearth extensions (accounts) are marked as such.
 */
import { z } from 'zod';
import type { Snowflake } from '../snowflake.js';
import type { Application, Invite } from './entities.js';

const snowflake = z.string().regex(/^\d{1,20}$/, 'Must be a snowflake');
/** A permission bitfield as Discord sends it: a decimal string (numbers are accepted too). */
const permissionBits = z.union([z.string().regex(/^\d{1,20}$/, 'Must be a permission bitfield'), z.number().int().min(0)]).transform(String);
/** An image as Discord takes it: a data URI (`data:image/png;base64,...`), or null to remove. */
const imageData = z.string().max(12 * 1024 * 1024).nullable();

// ---- Accounts (Hearth extension: Discord does not publish its registration API) ----

/** Username characters: lowercase letters, digits, `_` and `.`, no `..` (Discord's rules since 2023; length 2–32 apart). */
export const USERNAME_PATTERN = /^(?!.*\.\.)[a-z0-9_.]*$/;

export const usernameSchema = z.string().min(2).max(32).regex(USERNAME_PATTERN, 'Usernames may contain only lowercase letters, numbers, _ and . (and no ..)');
export const passwordSchema = z.string().min(8).max(128);
/** Display names: 1–32 characters. */
export const globalNameSchema = z.string().trim().min(1).max(32);

export const registerRequestSchema = z.object({
  username: usernameSchema,
  password: passwordSchema,
  global_name: globalNameSchema.nullish(),
});
export type RegisterRequest = z.input<typeof registerRequestSchema>;

export const loginRequestSchema = z.object({
  /** The username (Discord's field is named `login`). */
  login: z.string().min(1).max(64),
  password: z.string().min(1).max(128),
});
export type LoginRequest = z.input<typeof loginRequestSchema>;

/** The request header of a sign-in that carries this client's {@link AuthResponse.device_token} (Hearth extension). */
export const DEVICE_TOKEN_HEADER = 'X-Hearth-Device';

/** The response of register and login. */
export interface AuthResponse {
  token: string;
  user_id: Snowflake;
  /**
   * Hearth extension: this client's device token. Sent back as {@link DEVICE_TOKEN_HEADER} with
   * later sign-ins, it lets the owner sign in while others' failed guesses throttle the account.
   */
  device_token: string;
}

/** `POST /attachments/refresh-urls` (Discord's): attachment URLs to sign again, 1–50. */
export const refreshAttachmentUrlsSchema = z.object({
  attachment_urls: z.array(z.string().min(1).max(2048)).min(1).max(50),
});
export type RefreshAttachmentUrlsRequest = z.input<typeof refreshAttachmentUrlsSchema>;

/** Its answer: a fresh URL for each given URL of an attachment the caller can read (others are left out). */
export interface RefreshAttachmentUrlsResponse {
  refreshed_urls: { original: string; refreshed: string }[];
}

/** One sign-in of the user (Discord's auth session object, plus Hearth's `created_at`). */
export interface AuthSession {
  /** The session's ID; READY's `auth_session_id_hash` names the caller's own. */
  id_hash: string;
  /** When it was last used, to within a few minutes (ISO 8601). */
  approx_last_used_time: string;
  client_info: {
    /** e.g. `Windows`, `macOS`, `Linux`, `Android`, `iOS`; null when unknown. */
    os: string | null;
    /** The app or browser, e.g. `Hearth Desktop`, `Hearth Web`, `Firefox`, `discord.js`. */
    platform: string | null;
    /** Hearth has no address-to-place database: always null. */
    location: string | null;
  };
  /** Hearth extension: when the user signed in (ISO 8601). */
  created_at: string;
}

/** `GET /auth/sessions`. */
export interface AuthSessionsResponse {
  user_sessions: AuthSession[];
}

/** `POST /auth/sessions/logout`: the sign-ins to end (1–64 `id_hash` values). */
export const logoutSessionsSchema = z.object({
  session_id_hashes: z.array(z.string().min(1).max(128)).min(1).max(64),
});
export type LogoutSessionsRequest = z.input<typeof logoutSessionsSchema>;

/** `PATCH /users/@me`. Changing the username needs the current `password`. */
export const modifyCurrentUserSchema = z.object({
  username: usernameSchema.optional(),
  global_name: globalNameSchema.nullish(),
  avatar: imageData.optional(),
  password: z.string().max(128).optional(),
  new_password: passwordSchema.optional(),
});
export type ModifyCurrentUserRequest = z.input<typeof modifyCurrentUserSchema>;

/** `GET /users/@me/guilds` query. */
export const currentUserGuildsQuerySchema = z.object({
  before: snowflake.optional(),
  after: snowflake.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(200),
  with_counts: z.enum(['true', 'false']).optional(),
});

/** One entry of `GET /users/@me/guilds`. */
export interface PartialGuild {
  id: Snowflake;
  name: string;
  icon: string | null;
  owner: boolean;
  permissions: string;
  features: string[];
  approximate_member_count?: number;
  approximate_presence_count?: number;
}

// ---- Guilds ----

export const guildNameSchema = z.string().trim().min(2).max(100);

export const createGuildSchema = z.object({
  name: guildNameSchema,
  icon: imageData.optional(),
});
export type CreateGuildRequest = z.input<typeof createGuildSchema>;

export const modifyGuildSchema = z.object({
  name: guildNameSchema.optional(),
  icon: imageData.optional(),
  /** Owner only: transfers the guild. */
  owner_id: snowflake.optional(),
  system_channel_id: snowflake.nullable().optional(),
});
export type ModifyGuildRequest = z.input<typeof modifyGuildSchema>;

export const getGuildQuerySchema = z.object({ with_counts: z.enum(['true', 'false']).optional() });

export const listMembersQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(1),
  after: snowflake.optional(),
});

export const modifyMemberSchema = z.object({
  nick: z.string().max(32).nullish(),
  roles: z.array(snowflake).max(250).optional(),
  mute: z.boolean().optional(),
  deaf: z.boolean().optional(),
  /** Moves the member (who must be in voice) to this voice channel, or disconnects them (null). MOVE_MEMBERS. */
  channel_id: snowflake.nullable().optional(),
});
export type ModifyMemberRequest = z.input<typeof modifyMemberSchema>;

export const modifyCurrentMemberSchema = z.object({ nick: z.string().max(32).nullish() });
export type ModifyCurrentMemberRequest = z.input<typeof modifyCurrentMemberSchema>;

// ---- Channels ----

const overwriteSchema = z.object({
  id: snowflake,
  type: z.union([z.literal(0), z.literal(1)]),
  allow: permissionBits.optional().default('0'),
  deny: permissionBits.optional().default('0'),
});

const channelFields = {
  name: z.string().trim().min(1).max(100),
  topic: z.string().max(1024).nullish(),
  parent_id: snowflake.nullish(),
  position: z.number().int().min(0).max(10_000).nullish(),
  /** Voice: 8–96 kbps as Discord's unboosted guilds. */
  bitrate: z.number().int().min(8000).max(96_000).nullish(),
  user_limit: z.number().int().min(0).max(99).nullish(),
  permission_overwrites: z.array(overwriteSchema).max(100).nullish(),
};

export const createChannelSchema = z.object({
  ...channelFields,
  type: z.union([z.literal(0), z.literal(2), z.literal(4)]).default(0),
});
export type CreateChannelRequest = z.input<typeof createChannelSchema>;

export const modifyChannelSchema = z.object({ ...channelFields, name: channelFields.name.optional() });
export type ModifyChannelRequest = z.input<typeof modifyChannelSchema>;

/** Refuses a bulk position list naming one ID twice (which entry would win is unclear). */
function refuseRepeatedIds(entries: readonly { id: string }[], issue: z.RefinementCtx): void {
  const seen = new Set<string>();
  for (const [index, entry] of entries.entries()) {
    if (seen.has(entry.id)) issue.addIssue({ code: 'custom', path: [index, 'id'], message: `${entry.id} is listed more than once.` });
    seen.add(entry.id);
  }
}

/** `PATCH /guilds/:id/channels`: bulk reorder (and re-parent). */
export const channelPositionsSchema = z
  .array(
    z.object({
      id: snowflake,
      position: z.number().int().min(0).max(10_000).nullish(),
      parent_id: snowflake.nullish(),
      lock_permissions: z.boolean().nullish(),
    }),
  )
  .min(1)
  .max(500)
  .superRefine(refuseRepeatedIds);
export type ChannelPositionsRequest = z.input<typeof channelPositionsSchema>;

/** `PUT /channels/:id/permissions/:overwrite_id`. */
export const editOverwriteSchema = z.object({
  type: z.union([z.literal(0), z.literal(1)]),
  allow: permissionBits.nullish(),
  deny: permissionBits.nullish(),
});
export type EditOverwriteRequest = z.input<typeof editOverwriteSchema>;

// ---- Roles ----

const roleFields = {
  name: z.string().trim().min(1).max(100),
  permissions: permissionBits,
  color: z.number().int().min(0).max(0xffffff),
  hoist: z.boolean(),
  mentionable: z.boolean(),
};

export const createRoleSchema = z.object({
  name: roleFields.name.default('new role'),
  permissions: roleFields.permissions.optional(),
  color: roleFields.color.default(0),
  hoist: roleFields.hoist.default(false),
  mentionable: roleFields.mentionable.default(false),
});
export type CreateRoleRequest = z.input<typeof createRoleSchema>;

export const modifyRoleSchema = z.object({
  name: roleFields.name.optional(),
  permissions: roleFields.permissions.optional(),
  color: roleFields.color.nullish(),
  hoist: roleFields.hoist.nullish(),
  mentionable: roleFields.mentionable.nullish(),
});
export type ModifyRoleRequest = z.input<typeof modifyRoleSchema>;

export const rolePositionsSchema = z
  .array(z.object({ id: snowflake, position: z.number().int().min(1).max(1000).nullish() }))
  .min(1)
  .max(250)
  .superRefine(refuseRepeatedIds);
export type RolePositionsRequest = z.input<typeof rolePositionsSchema>;

// ---- Invites ----

export const createInviteSchema = z.object({
  /** Seconds until expiry, 0 = never; at most 7 days (Discord's default is 24 hours). */
  max_age: z.number().int().min(0).max(604_800).default(86_400),
  /** 0 = unlimited. */
  max_uses: z.number().int().min(0).max(100).default(0),
  /** Hearth has no temporary membership (members removed when they go offline), so only false is accepted. */
  temporary: z.boolean().default(false).refine((value) => !value, 'Temporary membership is not available on Hearth: create a normal invite.'),
  unique: z.boolean().default(false),
});
export type CreateInviteRequest = z.input<typeof createInviteSchema>;

export const getInviteQuerySchema = z.object({
  with_counts: z.enum(['true', 'false']).optional(),
  with_expiration: z.enum(['true', 'false']).optional(),
});

/** An invite with its metadata (`uses`, `max_uses`, `max_age`, `temporary`, `created_at`). */
export type InviteWithMetadata = Required<Pick<Invite, 'uses' | 'max_uses' | 'max_age' | 'temporary' | 'created_at'>> & Invite;

// ---- Messages ----

/** Longest message content, as Discord without Nitro. */
export const MESSAGE_CONTENT_MAX = 2000;
/** Characters across every title, description, field, footer and author name of a message's embeds. */
export const EMBEDS_TOTAL_MAX = 6000;

/** Message flags a sender may set: SUPPRESS_EMBEDS and SUPPRESS_NOTIFICATIONS (`@silent`). */
export const MessageFlag = {
  SUPPRESS_EMBEDS: 1 << 2,
  SUPPRESS_NOTIFICATIONS: 1 << 12,
} as const;

/** Drops `null` members, so stored embeds hold only what was given (JSON clients send nulls freely). */
function withoutNulls<T extends Record<string, unknown>>(value: T): { [K in keyof T]: Exclude<T[K], null> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null && v !== undefined)) as { [K in keyof T]: Exclude<T[K], null> };
}

const webUrl = z.string().max(2048).regex(/^https?:\/\/\S+$/i, 'Must be an http(s) URL');
/** Embed images may also name an uploaded file: `attachment://name.png`. */
const mediaUrl = z.string().max(2048).regex(/^(?:https?|attachment):\/\/\S+$/i, 'Must be an http(s) or attachment:// URL');
const embedMedia = z.object({ url: mediaUrl, width: z.number().int().nullish(), height: z.number().int().nullish() }).transform(withoutNulls);

export const embedSchema = z
  .object({
    title: z.string().max(256).nullish(),
    type: z.literal('rich').nullish(),
    description: z.string().max(4096).nullish(),
    url: webUrl.nullish(),
    timestamp: z.iso.datetime({ offset: true }).nullish(),
    color: z.number().int().min(0).max(0xffffff).nullish(),
    footer: z.object({ text: z.string().min(1).max(2048), icon_url: mediaUrl.nullish() }).transform(withoutNulls).nullish(),
    image: embedMedia.nullish(),
    thumbnail: embedMedia.nullish(),
    author: z.object({ name: z.string().min(1).max(256), url: webUrl.nullish(), icon_url: mediaUrl.nullish() }).transform(withoutNulls).nullish(),
    fields: z
      .array(
        z
          .object({ name: z.string().min(1).max(256), value: z.string().min(1).max(1024), inline: z.boolean().nullish() })
          // Discord always answers with `inline`, false when not given.
          .transform((field) => ({ name: field.name, value: field.value, inline: field.inline ?? false })),
      )
      .max(25)
      .nullish(),
  })
  .transform(withoutNulls);

/** The characters Discord counts against {@link EMBEDS_TOTAL_MAX}. */
function embedLength(embed: z.output<typeof embedSchema>): number {
  const fields = (embed.fields ?? []).reduce((sum, f) => sum + f.name.length + f.value.length, 0);
  return (embed.title?.length ?? 0) + (embed.description?.length ?? 0) + (embed.footer?.text.length ?? 0) + (embed.author?.name.length ?? 0) + fields;
}

const embedsSchema = z
  .array(embedSchema)
  .max(10)
  .refine((embeds) => embeds.reduce((sum, e) => sum + embedLength(e), 0) <= EMBEDS_TOTAL_MAX, {
    message: `Embed size exceeds maximum size of ${EMBEDS_TOTAL_MAX}`,
  });

export const allowedMentionsSchema = z
  .object({
    parse: z.array(z.enum(['users', 'roles', 'everyone'])).max(3).optional(),
    users: z.array(snowflake).max(100).optional(),
    roles: z.array(snowflake).max(100).optional(),
    replied_user: z.boolean().optional(),
  })
  .superRefine((value, issue) => {
    for (const kind of ['users', 'roles'] as const) {
      if (value.parse?.includes(kind) && (value[kind]?.length ?? 0) > 0) {
        issue.addIssue({ code: 'custom', path: [kind], message: `parse:["${kind}"] and ${kind}: [ids...] are mutually exclusive.` });
      }
    }
  });
export type AllowedMentionsRequest = z.input<typeof allowedMentionsSchema>;

/** `payload_json.attachments[]`: metadata for `files[n]` (id `n`), or an existing attachment to keep on edit. */
export const attachmentMetadataSchema = z.object({
  id: z.union([snowflake, z.number().int().min(0)]),
  filename: z.string().min(1).max(1024).optional(),
  description: z.string().max(1024).optional(),
});

const messageNonce = z.union([z.string().max(25), z.number().int()]).transform(String);

export const createMessageSchema = z.object({
  content: z.string().max(MESSAGE_CONTENT_MAX).optional(),
  nonce: messageNonce.optional(),
  /** With `nonce`: a message with the same nonce sent in the last few minutes is returned instead. */
  enforce_nonce: z.boolean().optional(),
  tts: z.boolean().optional(),
  embeds: embedsSchema.optional(),
  allowed_mentions: allowedMentionsSchema.optional(),
  message_reference: z
    .object({
      type: z.literal(0).optional(),
      message_id: snowflake,
      channel_id: snowflake.optional(),
      guild_id: snowflake.optional(),
      fail_if_not_exists: z.boolean().optional(),
    })
    .optional(),
  attachments: z.array(attachmentMetadataSchema).max(10).optional(),
  flags: z
    .number()
    .int()
    .refine((f) => (f & ~(MessageFlag.SUPPRESS_EMBEDS | MessageFlag.SUPPRESS_NOTIFICATIONS)) === 0, 'Only SUPPRESS_EMBEDS and SUPPRESS_NOTIFICATIONS may be set')
    .optional(),
});
export type CreateMessageRequest = z.input<typeof createMessageSchema>;

export const editMessageSchema = z.object({
  content: z.string().max(MESSAGE_CONTENT_MAX).nullish(),
  embeds: embedsSchema.nullish(),
  flags: z
    .number()
    .int()
    .refine((f) => (f & ~MessageFlag.SUPPRESS_EMBEDS) === 0, 'Only SUPPRESS_EMBEDS may be changed')
    .nullish(),
  allowed_mentions: allowedMentionsSchema.nullish(),
  /** Attachments to keep (by ID) and metadata for new `files[n]`; absent keeps every attachment. */
  attachments: z.array(attachmentMetadataSchema).max(10).nullish(),
});
export type EditMessageRequest = z.input<typeof editMessageSchema>;

/** `POST /channels/:id/messages/bulk-delete`: 2–100 message IDs (unknown ones count, and are skipped). */
export const bulkDeleteMessagesSchema = z.object({
  messages: z.array(snowflake).min(2).max(100),
});
export type BulkDeleteMessagesRequest = z.input<typeof bulkDeleteMessagesSchema>;

/** `GET /channels/:id/messages`: at most one of before/after/around; newest first. */
export const listMessagesQuerySchema = z
  .object({
    before: snowflake.optional(),
    after: snowflake.optional(),
    around: snowflake.optional(),
    limit: z.coerce.number().int().min(1).max(100).default(50),
  })
  .superRefine((query, issue) => {
    const given = (['around', 'before', 'after'] as const).filter((k) => query[k] !== undefined);
    for (const extra of given.slice(1)) {
      issue.addIssue({ code: 'custom', path: [extra], message: 'Only one of before, after and around may be given.' });
    }
  });

/** `GET /channels/:id/messages/:id/reactions/:emoji`. */
export const reactionUsersQuerySchema = z.object({
  after: snowflake.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(25),
  /** 0 normal, 1 burst (Hearth has no burst reactions: always empty). */
  type: z.coerce.number().int().min(0).max(1).default(0),
});

/** `POST /channels/:id/messages/:id/ack` (Discord's client API): `manual` with `mention_count` marks unread. */
export const ackMessageSchema = z.object({
  token: z.string().max(256).nullish(),
  manual: z.boolean().optional(),
  mention_count: z.number().int().min(0).max(100_000).optional(),
});
export type AckMessageRequest = z.input<typeof ackMessageSchema>;

/** The response of an ack. */
export interface AckMessageResponse {
  token: null;
}

// ---- Bot applications (Discord's developer portal actions as REST calls: a Hearth extension) ----

const applicationFields = {
  name: z.string().trim().min(2).max(32),
  description: z.string().trim().max(400),
};

/** `POST /applications`: a bot application; its bot's username is derived from `name`. */
export const createApplicationSchema = z.object({
  name: applicationFields.name,
  description: applicationFields.description.default(''),
});
export type CreateApplicationRequest = z.input<typeof createApplicationSchema>;

/** `PATCH /applications/:id` (and `/applications/@me` with the bot's token). */
export const modifyApplicationSchema = z.object({
  name: applicationFields.name.optional(),
  description: applicationFields.description.optional(),
  /** Privileged intents switched on: GATEWAY_PRESENCE 1<<12, GATEWAY_GUILD_MEMBERS 1<<14, GATEWAY_MESSAGE_CONTENT 1<<18. */
  flags: z.number().int().min(0).max(2 ** 31 - 1).optional(),
});
export type ModifyApplicationRequest = z.input<typeof modifyApplicationSchema>;

/** `POST /guilds/:id/bots`: adds the application's bot to the guild with a managed role of these permissions. */
export const addGuildBotSchema = z.object({
  application_id: snowflake,
  permissions: permissionBits.default('0'),
});
export type AddGuildBotRequest = z.input<typeof addGuildBotSchema>;

/** `POST /applications`: the application and, this once, its bot's token. */
export interface CreatedApplication extends Application {
  token: string;
}

/** `POST /applications/:id/bot/reset`: the new token (every older one stops working). */
export interface BotTokenResponse {
  token: string;
}
