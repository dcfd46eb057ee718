import type { Reaction } from '../../../shared/protocol/entities.js';

export interface Props {
  reactions: Reaction[];
  onToggle(emoji: string, me: boolean): void;
  canAdd: boolean;
  onOpenPicker(anchor: HTMLElement): void;
}

/** The reaction pills under a message: emoji and count, pressed when I reacted; click toggles. */
export function Reactions({ reactions, onToggle, canAdd, onOpenPicker }: Props) {
  return (
    <div className="reactions" role="group" aria-label="Reactions">
      {reactions.map((reaction) => {
        const emoji = reaction.emoji.name ?? '';
        return (
          <button
            key={reaction.emoji.id ?? emoji}
            type="button"
            className={reaction.me ? 'reaction me' : 'reaction'}
            aria-pressed={reaction.me}
            aria-label={`${emoji}, ${reaction.count} reaction${reaction.count === 1 ? '' : 's'}${reaction.me ? ', including you' : ''}`}
            disabled={!reaction.me && !canAdd}
            onClick={() => onToggle(emoji, reaction.me)}
          >
            <span className="reaction-emoji">{emoji}</span>
            <span className="reaction-count">{reaction.count}</span>
          </button>
        );
      })}
      {canAdd && (
        <button type="button" className="reaction reaction-add" aria-label="Add Reaction" onClick={(event) => onOpenPicker(event.currentTarget)}>
          +
        </button>
      )}
    </div>
  );
}
