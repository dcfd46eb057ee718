/**
 * Small JSON files in the user-data directory, written atomically (temporary file + rename) so a
 * crash mid-write never leaves a half-written file, and readable only by the user.
 */
import fs from 'node:fs';
import path from 'node:path';

/** Reads a JSON file: undefined when missing; a corrupt file is set aside (kept for support) and treated as missing. */
export function readJsonFile(file: string, onCorrupt: (error: unknown) => void = () => {}): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    onCorrupt(error);
    fs.renameSync(file, `${file}.corrupt-${Date.now()}`);
    return undefined;
  }
}

/** Writes `value` as JSON atomically with owner-only permissions. */
export function writeJsonFile(file: string, value: unknown): void {
  writeFileAtomic(file, `${JSON.stringify(value, null, 2)}\n`);
}

/** Writes bytes or text atomically with owner-only permissions. */
export function writeFileAtomic(file: string, data: string | Uint8Array): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, data, { mode: 0o600 });
  fs.renameSync(temporary, file);
}
