import { describe, expect, it } from 'vitest';
import {
  ALL_PERMISSIONS, DEFAULT_EVERYONE_PERMISSIONS, Permission, computeBasePermissions, computePermissions, hasPermission,
  parsePermissions, type PermissionOverwriteInput, type PermissionSubject,
} from './permissions.js';

const GUILD = '1000';
const OWNER = '2000';
const MEMBER = '3000';
const MODS = '4000';
const MUTED = '4001';
const ADMINS = '4002';
const { VIEW_CHANNEL, SEND_MESSAGES, MANAGE_MESSAGES, ADD_REACTIONS, ATTACH_FILES, KICK_MEMBERS, ADMINISTRATOR } = Permission;

function subject(overrides: Partial<PermissionSubject> = {}): PermissionSubject {
  return {
    guildId: GUILD,
    ownerId: OWNER,
    userId: MEMBER,
    roleIds: [],
    rolePermissions: new Map([
      [GUILD, VIEW_CHANNEL | SEND_MESSAGES | ADD_REACTIONS],
      [MODS, MANAGE_MESSAGES | KICK_MEMBERS],
      [MUTED, 0n],
      [ADMINS, ADMINISTRATOR],
    ]),
    ...overrides,
  };
}

const role = (id: string, allow: bigint, deny: bigint): PermissionOverwriteInput => ({ id, type: 0, allow, deny });
const member = (id: string, allow: bigint, deny: bigint): PermissionOverwriteInput => ({ id, type: 1, allow, deny });

describe('computeBasePermissions', () => {
  it('starts from @everyone and adds every role of the member', () => {
    expect(computeBasePermissions(subject())).toBe(VIEW_CHANNEL | SEND_MESSAGES | ADD_REACTIONS);
    expect(computeBasePermissions(subject({ roleIds: [MODS] }))).toBe(VIEW_CHANNEL | SEND_MESSAGES | ADD_REACTIONS | MANAGE_MESSAGES | KICK_MEMBERS);
  });

  it('ignores roles the guild does not have', () => {
    expect(computeBasePermissions(subject({ roleIds: ['9999'] }))).toBe(VIEW_CHANNEL | SEND_MESSAGES | ADD_REACTIONS);
  });

  it('gives the owner every permission, whatever the roles say', () => {
    const owner = subject({ userId: OWNER, rolePermissions: new Map([[GUILD, 0n]]) });
    expect(computeBasePermissions(owner)).toBe(ALL_PERMISSIONS);
  });

  it('gives ADMINISTRATOR every permission', () => {
    expect(computeBasePermissions(subject({ roleIds: [ADMINS] }))).toBe(ALL_PERMISSIONS);
  });
});

describe('computePermissions', () => {
  it('applies the @everyone overwrite to the base', () => {
    const overwrites = [role(GUILD, ATTACH_FILES, SEND_MESSAGES)];
    expect(computePermissions(subject(), overwrites)).toBe(VIEW_CHANNEL | ADD_REACTIONS | ATTACH_FILES);
  });

  it('lets a role overwrite allow what the @everyone overwrite denied', () => {
    const overwrites = [role(GUILD, 0n, SEND_MESSAGES), role(MODS, SEND_MESSAGES, 0n)];
    expect(hasPermission(computePermissions(subject({ roleIds: [MODS] }), overwrites), SEND_MESSAGES)).toBe(true);
    expect(hasPermission(computePermissions(subject(), overwrites), SEND_MESSAGES)).toBe(false);
  });

  it('combines role overwrites so that one role allowing beats another denying', () => {
    const overwrites = [role(MUTED, 0n, SEND_MESSAGES), role(MODS, SEND_MESSAGES, 0n)];
    expect(hasPermission(computePermissions(subject({ roleIds: [MUTED, MODS] }), overwrites), SEND_MESSAGES)).toBe(true);
    expect(hasPermission(computePermissions(subject({ roleIds: [MUTED] }), overwrites), SEND_MESSAGES)).toBe(false);
  });

  it('applies the member overwrite last, over role overwrites', () => {
    const denyMember = [role(MODS, SEND_MESSAGES, 0n), member(MEMBER, 0n, SEND_MESSAGES)];
    expect(hasPermission(computePermissions(subject({ roleIds: [MODS] }), denyMember), SEND_MESSAGES)).toBe(false);
    const allowMember = [role(GUILD, 0n, SEND_MESSAGES), role(MUTED, 0n, SEND_MESSAGES), member(MEMBER, SEND_MESSAGES, 0n)];
    expect(hasPermission(computePermissions(subject({ roleIds: [MUTED] }), allowMember), SEND_MESSAGES)).toBe(true);
  });

  it('ignores overwrites of roles the member lacks and of other members', () => {
    const overwrites = [role(MODS, 0n, VIEW_CHANNEL), member('3001', 0n, VIEW_CHANNEL)];
    expect(computePermissions(subject(), overwrites)).toBe(VIEW_CHANNEL | SEND_MESSAGES | ADD_REACTIONS);
  });

  it('does not confuse a member overwrite with a role overwrite of the same ID', () => {
    expect(computePermissions(subject(), [role(MEMBER, 0n, VIEW_CHANNEL)])).toBe(VIEW_CHANNEL | SEND_MESSAGES | ADD_REACTIONS);
  });

  it('lets the owner bypass every overwrite', () => {
    const overwrites = [role(GUILD, 0n, ALL_PERMISSIONS), member(OWNER, 0n, ALL_PERMISSIONS)];
    expect(computePermissions(subject({ userId: OWNER }), overwrites)).toBe(ALL_PERMISSIONS);
  });

  it('lets ADMINISTRATOR bypass every overwrite', () => {
    const overwrites = [role(GUILD, 0n, VIEW_CHANNEL), member(MEMBER, 0n, VIEW_CHANNEL | SEND_MESSAGES)];
    expect(computePermissions(subject({ roleIds: [ADMINS] }), overwrites)).toBe(ALL_PERMISSIONS);
  });

  it('equals the base permissions when there are no overwrites', () => {
    const s = subject({ roleIds: [MODS] });
    expect(computePermissions(s)).toBe(computeBasePermissions(s));
  });
});

describe('permission helpers', () => {
  it('requires every bit for hasPermission', () => {
    expect(hasPermission(VIEW_CHANNEL | SEND_MESSAGES, VIEW_CHANNEL)).toBe(true);
    expect(hasPermission(VIEW_CHANNEL, VIEW_CHANNEL | SEND_MESSAGES)).toBe(false);
    expect(hasPermission(0n, 0n)).toBe(true);
  });

  it('parses decimal strings and drops unknown bits', () => {
    expect(parsePermissions('3072')).toBe(VIEW_CHANNEL | SEND_MESSAGES);
    expect(parsePermissions((1n << 40n | SEND_MESSAGES).toString())).toBe(SEND_MESSAGES);
    expect(parsePermissions('-1')).toBeUndefined();
    expect(parsePermissions('0x10')).toBeUndefined();
    expect(parsePermissions('')).toBeUndefined();
  });

  it('uses Discord bit positions', () => {
    expect(Permission.ADMINISTRATOR).toBe(8n);
    expect(Permission.VIEW_CHANNEL).toBe(1024n);
    expect(Permission.SEND_MESSAGES).toBe(2048n);
    expect(Permission.MANAGE_MESSAGES).toBe(8192n);
    expect(Permission.MANAGE_ROLES).toBe(268435456n);
    expect(hasPermission(DEFAULT_EVERYONE_PERMISSIONS, VIEW_CHANNEL | SEND_MESSAGES | Permission.READ_MESSAGE_HISTORY)).toBe(true);
    expect(hasPermission(DEFAULT_EVERYONE_PERMISSIONS, MANAGE_MESSAGES)).toBe(false);
  });
});
