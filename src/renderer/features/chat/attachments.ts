/**
 * Files chosen for the next message: read into bytes for the bridge, checked against the
 * server's per-message limit so the user learns why before uploading.
 */
import type { BridgeFile } from '../../../shared/ipc/bridge.js';

/** The server accepts up to 25 MiB of attachments per message (FILE_TOO_LARGE beyond). */
export const MAX_UPLOAD_BYTES = 25 * 1024 * 1024;
/** Discord's limit on files per message. */
export const MAX_FILES = 10;

export interface DraftFile {
  id: string;
  file: File;
}

/** Why these files cannot be sent together, or null when they can. */
export function uploadProblem(files: readonly File[]): string | null {
  if (files.length > MAX_FILES) return `You can attach up to ${MAX_FILES} files to one message.`;
  const total = files.reduce((sum, file) => sum + file.size, 0);
  if (total > MAX_UPLOAD_BYTES) {
    return `Your files are too large: attachments may total 25 MB per message (these are ${(total / 1024 / 1024).toFixed(1)} MB).`;
  }
  return null;
}

/** Reads files into the bridge's structured-clonable shape. */
export async function toBridgeFiles(files: readonly File[]): Promise<BridgeFile[]> {
  return Promise.all(files.map(async (file) => ({ name: file.name, type: file.type, bytes: new Uint8Array(await file.arrayBuffer()) })));
}
