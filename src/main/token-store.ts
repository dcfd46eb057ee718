/**
 * The session token, kept with Electron's `safeStorage` (Keychain, DPAPI, libsecret/kwallet):
 * only the encrypted bytes reach the disk. Where the OS offers no real secret store (Linux with
 * only the `basic_text` backend) the token is kept in memory for this run and never written in
 * clear. The token never reaches a log: only outcomes are logged.
 */
import fs from 'node:fs';
import { safeStorage } from 'electron';
import { writeFileAtomic } from './json-file.js';

export interface TokenStoreLog {
  warn(message: string): void;
}

export class TokenStore {
  private memory: string | null = null;
  private warned = false;

  constructor(
    private readonly file: string,
    private readonly log: TokenStoreLog,
  ) {}

  /** Whether the token survives a restart here (false: the user signs in again next time). */
  get persistent(): boolean {
    return safeStorage.isEncryptionAvailable() && safeStorage.getSelectedStorageBackend?.() !== 'basic_text';
  }

  /** The stored token, or null (none, or it cannot be decrypted any more: then it is dropped). */
  load(): string | null {
    if (this.memory !== null) return this.memory;
    if (!this.persistent) return null;
    let encrypted: Buffer;
    try {
      encrypted = fs.readFileSync(this.file);
    } catch {
      return null;
    }
    try {
      this.memory = safeStorage.decryptString(encrypted);
      return this.memory;
    } catch {
      // A token encrypted by another OS account or keyring is useless: forget it.
      this.log.warn('stored session token could not be decrypted; signing in again is required');
      this.removeFile();
      return null;
    }
  }

  save(token: string): void {
    this.memory = token;
    if (!this.persistent) {
      if (!this.warned) this.log.warn('no OS secret store available; the session token is kept in memory only');
      this.warned = true;
      this.removeFile();
      return;
    }
    writeFileAtomic(this.file, safeStorage.encryptString(token));
  }

  clear(): void {
    this.memory = null;
    this.removeFile();
  }

  private removeFile(): void {
    fs.rmSync(this.file, { force: true });
  }
}
