import type { Attachment } from '../../../shared/protocol/entities.js';
import { AttachmentItem } from './AttachmentItem.js';

export interface Props {
  attachments: Attachment[];
}

/** A message's attachments, in order. */
export function AttachmentList({ attachments }: Props) {
  return (
    <div className="attachments">
      {attachments.map((attachment) => <AttachmentItem key={attachment.id} attachment={attachment} />)}
    </div>
  );
}
