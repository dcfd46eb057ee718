/**
 * Password hashing with scrypt (node:crypto) and a random salt per user, stored as
 * `scrypt$N$r$p$salt$hash` (base64url parts) so the cost can grow without breaking old hashes:
 * a sign-in that finds a hash made with other parameters stores a new one ({@link PasswordHasher.needsRehash}).
 *
 * Each hash runs on libuv's thread pool (async `crypto.scrypt`), never on the event loop, and at
 * most {@link MAX_CONCURRENT_HASHES} run at once: the pool has four threads by default, and the
 * gateway's zlib-stream compression and file I/O need the others while sign-ins pile up.
 */
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

/** scrypt's cost parameters. */
export interface ScryptCost {
  N: number;
  r: number;
  p: number;
}

/** OWASP's minimum for scrypt (Password Storage Cheat Sheet): N=2^17, r=8, p=1 — 128 MiB and about half a second per hash. */
export const OWASP_SCRYPT: ScryptCost = { N: 2 ** 17, r: 8, p: 1 };
/** Hashes running on the thread pool at once; the rest wait their turn. */
export const MAX_CONCURRENT_HASHES = 2;

const KEY_LENGTH = 64;
const SALT_BYTES = 16;

/** Memory one scrypt evaluation needs (OpenSSL's own bound: 128·r·(N + p + 2) bytes), plus slack. */
function maxmemFor(cost: ScryptCost): number {
  return 128 * cost.r * (cost.N + cost.p + 2) + 1024 * 1024;
}

/** A stored hash's parts, or undefined when it is not a well-formed scrypt hash. */
function parseStored(stored: string): { cost: ScryptCost; salt: Buffer; key: Buffer } | undefined {
  const [scheme, n, r, p, saltText, keyText, ...rest] = stored.split('$');
  if (scheme !== 'scrypt' || !saltText || !keyText || rest.length > 0) return undefined;
  const cost = { N: Number(n), r: Number(r), p: Number(p) };
  if (!Object.values(cost).every((value) => Number.isInteger(value) && value > 0)) return undefined;
  const key = Buffer.from(keyText, 'base64url');
  return key.length === 0 ? undefined : { cost, salt: Buffer.from(saltText, 'base64url'), key };
}

/** Something that counts hash evaluations (the `hearth_password_hashes_total` metric). */
export interface HashCounter {
  inc(): void;
}

/**
 * Hashes and checks passwords at one cost. Production uses {@link OWASP_SCRYPT}; tests build
 * servers with a cheaper cost through `BuildOptions.passwordCost` only.
 */
export class PasswordHasher {
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  private decoy: Promise<string> | undefined;

  constructor(
    readonly cost: ScryptCost = OWASP_SCRYPT,
    private readonly counter?: HashCounter,
  ) {}

  /** Hashes a password with a new random salt. */
  async hash(password: string): Promise<string> {
    const salt = randomBytes(SALT_BYTES);
    const key = await this.derive(password, salt, this.cost, KEY_LENGTH);
    return ['scrypt', this.cost.N, this.cost.r, this.cost.p, salt.toString('base64url'), key.toString('base64url')].join('$');
  }

  /** Checks a password against a stored hash in constant time; false for any malformed hash. */
  async verify(password: string, stored: string): Promise<boolean> {
    const parsed = parseStored(stored);
    if (!parsed) return false;
    const actual = await this.derive(password, parsed.salt, parsed.cost, parsed.key.length);
    return timingSafeEqual(actual, parsed.key);
  }

  /** Whether a stored hash was made with other parameters than this hasher's (it is replaced at the next sign-in). */
  needsRehash(stored: string): boolean {
    const parsed = parseStored(stored);
    if (!parsed) return true;
    return parsed.cost.N !== this.cost.N || parsed.cost.r !== this.cost.r || parsed.cost.p !== this.cost.p || parsed.key.length !== KEY_LENGTH;
  }

  /** Costs as much as checking a real account, and always fails: for unknown names and accounts without a password. */
  async verifyDecoy(password: string): Promise<false> {
    this.decoy ??= this.hash(randomBytes(16).toString('hex'));
    await this.verify(password, await this.decoy);
    return false;
  }

  private async derive(password: string, salt: Buffer, cost: ScryptCost, keyLength: number): Promise<Buffer> {
    await this.acquire();
    this.counter?.inc();
    try {
      return await new Promise<Buffer>((resolve, reject) => {
        scrypt(password.normalize('NFKC'), salt, keyLength, { ...cost, maxmem: maxmemFor(cost) }, (error, key) => {
          if (error) reject(error);
          else resolve(key);
        });
      });
    } finally {
      this.release();
    }
  }

  private acquire(): Promise<void> {
    if (this.running < MAX_CONCURRENT_HASHES) {
      this.running += 1;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  /** Hands the slot to the next waiting hash, or frees it. */
  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.running -= 1;
  }
}
