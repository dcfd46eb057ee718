import { Icon } from '../../components/Icon.js';

export interface Props {
  canReact: boolean;
  canReply: boolean;
  canEdit: boolean;
  canDelete: boolean;
  onReact(anchor: HTMLElement): void;
  onReply(): void;
  onEdit(): void;
  /** `immediate`: Shift-click deletes without asking, as in Discord. */
  onDelete(immediate: boolean): void;
}

/** The hover (and focus) toolbar of a message. */
export function MessageActions({ canReact, canReply, canEdit, canDelete, onReact, onReply, onEdit, onDelete }: Props) {
  return (
    <div className="message-actions" role="toolbar" aria-label="Message actions">
      {canReact && (
        <button type="button" className="icon-btn" aria-label="Add Reaction" onClick={(event) => onReact(event.currentTarget)}>
          <Icon name="smile" size={20} />
        </button>
      )}
      {canReply && (
        <button type="button" className="icon-btn" aria-label="Reply" onClick={onReply}>
          <Icon name="reply" size={20} />
        </button>
      )}
      {canEdit && (
        <button type="button" className="icon-btn" aria-label="Edit" onClick={onEdit}>
          <Icon name="pencil" size={20} />
        </button>
      )}
      {canDelete && (
        <button type="button" className="icon-btn danger" aria-label="Delete" onClick={(event) => onDelete(event.shiftKey)}>
          <Icon name="trash" size={20} />
        </button>
      )}
    </div>
  );
}
