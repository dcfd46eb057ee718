import type { ClientMessage } from '../../../shared/ipc/state.js';
import { useBridge } from '../../app/hooks.js';
import { describeError } from '../../app/errors.js';
import { fileSize } from '../../app/format.js';

export interface Props {
  message: ClientMessage;
}

/** Under an optimistic message: upload progress while pending, the error with retry when failed. */
export function DeliveryStatus({ message }: Props) {
  const bridge = useBridge();
  const nonce = message.nonce ?? message.id;
  if (message.delivery === 'pending') {
    if (!message.upload) return <span className="visually-hidden">Sending…</span>;
    const { loaded, total } = message.upload;
    const percent = total > 0 ? Math.round((loaded / total) * 100) : 0;
    return (
      <div className="upload-progress">
        <span className="hint">Uploading {message.localFiles?.map((f) => f.name).join(', ')} — {fileSize(loaded)} of {fileSize(total)}</span>
        <progress max={100} value={percent} aria-label="Upload progress">{percent}%</progress>
      </div>
    );
  }
  return (
    <div className="delivery-failed" role="alert">
      <span>Message could not be sent{message.error ? `: ${describeError(message.error)}` : '.'}</span>
      <button type="button" className="btn btn-link" onClick={() => void bridge.retryMessage(message.channel_id, nonce)}>Retry</button>
      <button type="button" className="btn btn-link" onClick={() => void bridge.discardMessage(message.channel_id, nonce)}>Delete</button>
    </div>
  );
}
