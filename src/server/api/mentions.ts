/**
 * Mentions in message content, as Discord parses them: `<@id>` and `<@!id>` for users, `<@&id>`
 * for roles, `@everyone` and `@here`. What is parsed is then narrowed by what the author may ping
 * (MENTION_EVERYONE; role mentionability) and by the message's `allowed_mentions`.
 */
import type { Snowflake } from '../../shared/snowflake.js';

/** Most distinct users or roles one message can mention (Discord caps pings the same way). */
export const MAX_MENTIONS = 100;

/** Mention tokens found in content, before any permission applies. */
export interface ParsedMentions {
  userIds: Snowflake[];
  roleIds: Snowflake[];
  /** `@everyone` or `@here` appears. */
  everyone: boolean;
}

const USER_MENTION = /<@!?(\d{1,20})>/g;
const ROLE_MENTION = /<@&(\d{1,20})>/g;
const EVERYONE_MENTION = /(?<![\w@])@(?:everyone|here)\b/;

function unique(matches: IterableIterator<RegExpMatchArray>): Snowflake[] {
  const ids = new Set<Snowflake>();
  for (const match of matches) {
    if (ids.size >= MAX_MENTIONS) break;
    ids.add(match[1]!);
  }
  return [...ids];
}

/** Finds the mention tokens in message content, each ID once, in order of appearance. */
export function parseMentions(content: string): ParsedMentions {
  return {
    userIds: unique(content.matchAll(USER_MENTION)),
    roleIds: unique(content.matchAll(ROLE_MENTION)),
    everyone: EVERYONE_MENTION.test(content),
  };
}

/** Discord's `allowed_mentions`. */
export interface AllowedMentions {
  parse?: ('users' | 'roles' | 'everyone')[] | undefined;
  users?: Snowflake[] | undefined;
  roles?: Snowflake[] | undefined;
  replied_user?: boolean | undefined;
}

/** What the resolution needs to know about the guild and the author. */
export interface MentionRules {
  /** The author has MENTION_EVERYONE: may ping @everyone, @here and roles that are not mentionable. */
  canMentionEveryone: boolean;
  /** Mentionable flag of each role of the guild, by ID (unknown roles are dropped). */
  roleMentionable: ReadonlyMap<Snowflake, boolean>;
  /** Which of the given user IDs are members of the guild. */
  membersAmong(userIds: readonly Snowflake[]): Promise<Set<Snowflake>>;
  /** Author of the message being replied to, if this is a reply. */
  repliedUserId?: Snowflake | undefined;
  authorId: Snowflake;
}

/** The mentions a message carries: `mentions`, `mention_roles`, `mention_everyone`. */
export interface ResolvedMentions {
  userIds: Snowflake[];
  roleIds: Snowflake[];
  everyone: boolean;
}

/** Whether `allowed_mentions` lets a parsed mention of this kind and ID through. */
function allows(allowed: AllowedMentions | undefined, kind: 'users' | 'roles', id: Snowflake): boolean {
  if (!allowed) return true;
  if (allowed.parse?.includes(kind)) return true;
  return (allowed[kind] ?? []).includes(id);
}

/**
 * Narrows parsed mentions to what actually pings: guild members, roles that are mentionable (or
 * any role for authors with MENTION_EVERYONE), @everyone/@here only with MENTION_EVERYONE, all
 * filtered by `allowed_mentions`. A reply mentions the replied-to author unless
 * `allowed_mentions.replied_user` is false (or `allowed_mentions` is given without it, as Discord).
 */
export async function resolveMentions(parsed: ParsedMentions, allowed: AllowedMentions | undefined, rules: MentionRules): Promise<ResolvedMentions> {
  const wantedUsers = parsed.userIds.filter((id) => allows(allowed, 'users', id));
  const repliedToOther = rules.repliedUserId !== undefined && rules.repliedUserId !== rules.authorId;
  const mentionReplied = repliedToOther && (allowed ? allowed.replied_user === true : true);
  if (mentionReplied && !wantedUsers.includes(rules.repliedUserId!)) wantedUsers.push(rules.repliedUserId!);
  const members = wantedUsers.length > 0 ? await rules.membersAmong(wantedUsers) : new Set<Snowflake>();
  const roleIds = parsed.roleIds.filter((id) => {
    const mentionable = rules.roleMentionable.get(id);
    return mentionable !== undefined && (mentionable || rules.canMentionEveryone) && allows(allowed, 'roles', id);
  });
  const everyoneAllowed = !allowed || (allowed.parse?.includes('everyone') ?? false);
  return {
    userIds: wantedUsers.filter((id) => members.has(id)),
    roleIds,
    everyone: parsed.everyone && rules.canMentionEveryone && everyoneAllowed,
  };
}
