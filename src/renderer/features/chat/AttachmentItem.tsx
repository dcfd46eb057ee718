import type { Attachment } from '../../../shared/protocol/entities.js';
import { fileSize } from '../../app/format.js';
import { Icon } from '../../components/Icon.js';
import { useFreshUrl } from './fresh-urls.js';

export interface Props {
  attachment: Attachment;
}

const MAX_WIDTH = 400;
const MAX_HEIGHT = 300;

/** The size an image is shown at: its own, scaled down to fit, reserved before it loads. */
export function fitImage(width: number, height: number): { width: number; height: number } {
  const scale = Math.min(1, MAX_WIDTH / width, MAX_HEIGHT / height);
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

function isImage(attachment: Attachment): boolean {
  return !!attachment.content_type?.startsWith('image/') && !!attachment.width && !!attachment.height;
}

/** One attachment: an image inline at its reserved size (no layout jump), any other file as a card with download; its signed URL kept fresh. */
export function AttachmentItem({ attachment }: Props) {
  const { url, failed } = useFreshUrl(attachment.url);
  if (isImage(attachment)) {
    return (
      <a className="attachment-image" href={url} target="_blank" rel="noreferrer noopener" aria-label={`Open image ${attachment.filename}`}>
        <img src={url} alt={attachment.filename} loading="lazy" onError={failed} {...fitImage(attachment.width ?? 1, attachment.height ?? 1)} />
      </a>
    );
  }
  return (
    <div className="attachment-file">
      <Icon name="file" size={32} className="attachment-file-icon" />
      <div className="attachment-file-text">
        <span className="attachment-file-name">{attachment.filename}</span>
        <span className="hint">{fileSize(attachment.size)}</span>
      </div>
      <a className="icon-btn" href={url} download={attachment.filename} aria-label={`Download ${attachment.filename}`}>
        <Icon name="download" size={20} />
      </a>
    </div>
  );
}
