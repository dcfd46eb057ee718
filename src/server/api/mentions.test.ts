import { describe, expect, it } from 'vitest';
import { MAX_MENTIONS, parseMentions, resolveMentions, type MentionRules } from './mentions.js';

const ALICE = '100000000000000001';
const BOB = '100000000000000002';
const STRANGER = '100000000000000009';
const OPEN_ROLE = '200000000000000001';
const CLOSED_ROLE = '200000000000000002';

function rules(overrides: Partial<MentionRules> = {}): MentionRules {
  return {
    authorId: ALICE,
    canMentionEveryone: false,
    roleMentionable: new Map([[OPEN_ROLE, true], [CLOSED_ROLE, false]]),
    membersAmong: async (ids) => new Set(ids.filter((id) => id !== STRANGER)),
    ...overrides,
  };
}

describe('parseMentions', () => {
  it('finds users, nicknamed users, roles and @everyone/@here, each once in order', () => {
    const parsed = parseMentions(`<@${BOB}> <@!${ALICE}> <@${BOB}> <@&${OPEN_ROLE}> hey @here`);
    expect(parsed).toEqual({ userIds: [BOB, ALICE], roleIds: [OPEN_ROLE], everyone: true });
  });

  it('ignores look-alikes', () => {
    expect(parseMentions('<@abc> <@&> @everyoneish email@everyone.org <#123>')).toEqual({ userIds: [], roleIds: [], everyone: false });
    expect(parseMentions('@everyone').everyone).toBe(true);
  });

  it(`keeps at most ${MAX_MENTIONS} distinct users`, () => {
    const content = Array.from({ length: 150 }, (_, i) => `<@${1000 + i}>`).join(' ');
    expect(parseMentions(content).userIds).toHaveLength(MAX_MENTIONS);
  });
});

describe('resolveMentions', () => {
  it('keeps members only and mentionable roles only without MENTION_EVERYONE', async () => {
    const parsed = parseMentions(`<@${BOB}> <@${STRANGER}> <@&${OPEN_ROLE}> <@&${CLOSED_ROLE}> <@&999> @everyone`);
    expect(await resolveMentions(parsed, undefined, rules())).toEqual({ userIds: [BOB], roleIds: [OPEN_ROLE], everyone: false });
    expect(await resolveMentions(parsed, undefined, rules({ canMentionEveryone: true }))).toEqual({
      userIds: [BOB], roleIds: [OPEN_ROLE, CLOSED_ROLE], everyone: true,
    });
  });

  it('applies allowed_mentions parse and id lists', async () => {
    const parsed = parseMentions(`<@${BOB}> <@${ALICE}> <@&${OPEN_ROLE}> @everyone`);
    const all = rules({ canMentionEveryone: true });
    expect(await resolveMentions(parsed, { parse: [] }, all)).toEqual({ userIds: [], roleIds: [], everyone: false });
    expect(await resolveMentions(parsed, { parse: ['everyone'], users: [BOB] }, all)).toEqual({ userIds: [BOB], roleIds: [], everyone: true });
    expect(await resolveMentions(parsed, { parse: ['roles', 'users'] }, all)).toEqual({ userIds: [BOB, ALICE], roleIds: [OPEN_ROLE], everyone: false });
  });

  it('mentions the replied-to author by default and not when replied_user is off', async () => {
    const parsed = parseMentions('thanks');
    expect((await resolveMentions(parsed, undefined, rules({ repliedUserId: BOB }))).userIds).toEqual([BOB]);
    expect((await resolveMentions(parsed, { parse: ['users'] }, rules({ repliedUserId: BOB }))).userIds).toEqual([]);
    expect((await resolveMentions(parsed, { replied_user: true }, rules({ repliedUserId: BOB }))).userIds).toEqual([BOB]);
    expect((await resolveMentions(parsed, undefined, rules({ repliedUserId: ALICE }))).userIds).toEqual([]);
  });
});
