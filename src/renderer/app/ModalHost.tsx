import { missingCase } from '../../shared/missing-case.js';
import { useUi } from './hooks.js';
import { QuickSwitcher } from './QuickSwitcher.js';
import { CreateGuildModal } from '../features/guilds/CreateGuildModal.js';
import { JoinGuildModal } from '../features/guilds/JoinGuildModal.js';
import { InviteModal } from '../features/guilds/InviteModal.js';
import { LeaveGuildDialog } from '../features/guilds/LeaveGuildDialog.js';
import { CreateChannelModal } from '../features/guilds/CreateChannelModal.js';
import { GuildSettingsModal } from '../features/guilds/settings/GuildSettingsModal.js';
import { UserSettingsModal } from '../features/settings/UserSettingsModal.js';
import { DeleteMessageDialog } from '../features/chat/DeleteMessageDialog.js';

/** Renders the one open dialog. */
export function ModalHost() {
  const modal = useUi((s) => s.modal);
  if (!modal) return null;
  switch (modal.type) {
    case 'create-guild':
      return <CreateGuildModal />;
    case 'join-guild':
      return <JoinGuildModal initialCode={modal.code} />;
    case 'invite':
      return <InviteModal guildId={modal.guildId} channelId={modal.channelId} />;
    case 'guild-settings':
      return <GuildSettingsModal guildId={modal.guildId} initialTab={modal.tab} />;
    case 'leave-guild':
      return <LeaveGuildDialog guildId={modal.guildId} />;
    case 'create-channel':
      return <CreateChannelModal guildId={modal.guildId} parentId={modal.parentId} channelType={modal.channelType} />;
    case 'user-settings':
      return <UserSettingsModal initialTab={modal.tab} />;
    case 'quick-switcher':
      return <QuickSwitcher />;
    case 'delete-message':
      return <DeleteMessageDialog channelId={modal.channelId} messageId={modal.messageId} />;
    default:
      return missingCase(modal);
  }
}
