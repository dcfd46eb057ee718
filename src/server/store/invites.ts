/**
 * Invite rules every Store implementation and the API share, so "usable" means one thing.
 */
import type { InviteRecord } from './store.js';

/** Whether an invite can still be used at `now` (Unix ms): not expired and not used up. */
export function inviteUsable(invite: InviteRecord, now: number): boolean {
  if (invite.maxAge > 0 && invite.createdAt + invite.maxAge * 1000 <= now) return false;
  return invite.maxUses === 0 || invite.uses < invite.maxUses;
}
