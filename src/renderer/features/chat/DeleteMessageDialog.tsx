import type { Snowflake } from '../../../shared/snowflake.js';
import { useClientState, useServices } from '../../app/hooks.js';
import { unwrap } from '../../app/errors.js';
import { ConfirmDialog } from '../../components/ConfirmDialog.js';
import { Markdown } from './markdown/Markdown.js';

export interface Props {
  channelId: Snowflake;
  messageId: Snowflake;
}

/** "Are you sure you want to delete this message?" with the message quoted. */
export function DeleteMessageDialog({ channelId, messageId }: Props) {
  const { bridge, ui } = useServices();
  const message = useClientState((s) => s.messages[channelId]?.messages.find((m) => m.id === messageId));
  return (
    <ConfirmDialog
      title="Delete Message"
      confirmLabel="Delete"
      danger
      onClose={() => ui.closeModal()}
      onConfirm={() => unwrap(bridge.deleteMessage(channelId, messageId))}
    >
      <p>Are you sure you want to delete this message?</p>
      {message && <blockquote className="delete-preview"><Markdown content={message.content} /></blockquote>}
      <p className="hint">Tip: hold Shift when clicking delete to skip this confirmation.</p>
    </ConfirmDialog>
  );
}
