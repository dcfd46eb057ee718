/**
 * The public half of the key Hearth's releases are signed with (raw Ed25519, base64), compiled
 * into the app: an update is installed only when its metadata verifies against this key (or the
 * key an operator's policy file pins). `node scripts/update-signing.mjs keygen` writes it; the
 * private half is the release workflow's `HEARTH_UPDATE_SIGNING_KEY` secret.
 *
 * null: no key has been made for this repository yet, so builds from it cannot verify updates
 * and do not update themselves (settings say so).
 */
export const RELEASE_PUBLIC_KEY: string | null = null;
