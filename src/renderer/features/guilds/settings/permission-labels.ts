import type { PermissionName } from '../../../../shared/permissions.js';

/** The permissions a role editor offers, grouped and worded as Discord does. */
export const PERMISSION_GROUPS: { title: string; permissions: { name: PermissionName; label: string; hint: string }[] }[] = [
  {
    title: 'General Server Permissions',
    permissions: [
      { name: 'VIEW_CHANNEL', label: 'View Channels', hint: 'Members can see channels by default (private channels excepted).' },
      { name: 'MANAGE_CHANNELS', label: 'Manage Channels', hint: 'Create, edit and delete channels.' },
      { name: 'MANAGE_ROLES', label: 'Manage Roles', hint: 'Create roles and edit roles lower than their highest role.' },
      { name: 'MANAGE_GUILD', label: 'Manage Server', hint: 'Change the server name and icon, and see all invites.' },
    ],
  },
  {
    title: 'Membership Permissions',
    permissions: [
      { name: 'CREATE_INSTANT_INVITE', label: 'Create Invite', hint: 'Invite new people to this server.' },
      { name: 'CHANGE_NICKNAME', label: 'Change Nickname', hint: 'Change their own nickname.' },
      { name: 'MANAGE_NICKNAMES', label: 'Manage Nicknames', hint: 'Change the nicknames of other members.' },
      { name: 'KICK_MEMBERS', label: 'Kick Members', hint: 'Remove members from the server; they can rejoin with an invite.' },
      { name: 'BAN_MEMBERS', label: 'Ban Members', hint: 'Permanently ban members from the server.' },
    ],
  },
  {
    title: 'Text Channel Permissions',
    permissions: [
      { name: 'SEND_MESSAGES', label: 'Send Messages', hint: 'Send messages in text channels.' },
      { name: 'EMBED_LINKS', label: 'Embed Links', hint: 'Links show embedded content.' },
      { name: 'ATTACH_FILES', label: 'Attach Files', hint: 'Upload files and media.' },
      { name: 'ADD_REACTIONS', label: 'Add Reactions', hint: 'Add new emoji reactions to messages.' },
      { name: 'MENTION_EVERYONE', label: 'Mention @everyone and @here', hint: 'Notify everyone in a channel.' },
      { name: 'MANAGE_MESSAGES', label: 'Manage Messages', hint: 'Delete messages by other members.' },
      { name: 'READ_MESSAGE_HISTORY', label: 'Read Message History', hint: 'Read messages sent before they arrived.' },
    ],
  },
  {
    title: 'Voice Channel Permissions',
    permissions: [
      { name: 'CONNECT', label: 'Connect', hint: 'Join voice channels.' },
      { name: 'SPEAK', label: 'Speak', hint: 'Talk in voice channels.' },
      { name: 'USE_VAD', label: 'Use Voice Activity', hint: 'Talk without push-to-talk.' },
      { name: 'MUTE_MEMBERS', label: 'Mute Members', hint: 'Mute other members in voice.' },
      { name: 'DEAFEN_MEMBERS', label: 'Deafen Members', hint: 'Deafen other members in voice.' },
      { name: 'MOVE_MEMBERS', label: 'Move Members', hint: 'Move members between voice channels.' },
    ],
  },
  {
    title: 'Advanced Permissions',
    permissions: [{ name: 'ADMINISTRATOR', label: 'Administrator', hint: 'Every permission, bypassing channel overwrites. Grant with care.' }],
  },
];
