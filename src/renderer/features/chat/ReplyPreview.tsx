import type { Message } from '../../../shared/protocol/entities.js';
import { useContext } from 'react';
import { Icon } from '../../components/Icon.js';
import { MarkdownContext } from './markdown/MarkdownContext.js';
import { markdownToPlainText } from './markdown/Markdown.js';

export interface Props {
  /** The message replied to; null when it was deleted, undefined when not loaded. */
  referenced: Message | null | undefined;
  authorName: string | null;
  onJump(): void;
}

/** The quoted line above a reply: who and what, click to jump to the original. */
export function ReplyPreview({ referenced, authorName, onJump }: Props) {
  const resolvers = useContext(MarkdownContext);
  if (!referenced) {
    return (
      <div className="reply-preview missing">
        <Icon name="reply" size={14} />
        <span className="hint">{referenced === null ? 'Original message was deleted' : 'Click to see the original message'}</span>
        {referenced === undefined && <button type="button" className="btn btn-link" onClick={onJump}>Jump</button>}
      </div>
    );
  }
  // As the reader saw it, without markup characters; the row's width clips it to one line.
  const snippet = markdownToPlainText(referenced.content, resolvers).slice(0, 120) || (referenced.attachments.length > 0 ? 'Click to see attachment' : '');
  return (
    <button type="button" className="reply-preview" onClick={onJump} aria-label={`Replying to ${authorName ?? 'a message'}: ${snippet}. Jump to message`}>
      <span className="reply-spine" aria-hidden="true" />
      <span className="reply-author">@{authorName ?? 'Unknown user'}</span>
      <span className="reply-snippet">{snippet}</span>
    </button>
  );
}
