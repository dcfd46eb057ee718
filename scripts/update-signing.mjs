#!/usr/bin/env node
// Signs the desktop app's update metadata (release/latest*.yml) so the app will install it.
//
//   node scripts/update-signing.mjs keygen --private-key-out FILE
//       Makes the release key pair once per repository: writes the public key into
//       src/main/release-key.ts (commit it) and the private key to FILE (store it as the release
//       workflow's HEARTH_UPDATE_SIGNING_KEY secret, then delete the file).
//   HEARTH_UPDATE_SIGNING_KEY=... node scripts/update-signing.mjs sign release/latest*.yml
//       Adds the `hearthSignature` field to each metadata file, then checks it against the
//       committed public key (fails when the secret and the committed key do not belong together).
//   node scripts/update-signing.mjs verify [--public-key KEY] release/latest*.yml
//       Checks signatures against KEY (default: the committed release key).
//
// The signed message is defined once, in src/main/update-signing.ts (loaded here with jiti).
import fs from 'node:fs';
import path from 'node:path';
import { createJiti } from 'jiti';
import yaml from 'js-yaml';

const root = path.resolve(import.meta.dirname, '..');
const jiti = createJiti(import.meta.url);
const signing = await jiti.import(path.join(root, 'src/main/update-signing.ts'));
const RELEASE_KEY_FILE = path.join(root, 'src/main/release-key.ts');
const KEY_LINE = /^export const RELEASE_PUBLIC_KEY: string \| null = .*;$/m;

function fail(message) {
  console.error(`update-signing: ${message}`);
  process.exit(1);
}

function option(args, name) {
  const index = args.indexOf(name);
  if (index < 0) return undefined;
  const value = args[index + 1];
  if (!value) fail(`${name} needs a value`);
  args.splice(index, 2);
  return value;
}

function committedKey(file) {
  const text = fs.readFileSync(file, 'utf8');
  const match = /^export const RELEASE_PUBLIC_KEY: string \| null = '([A-Za-z0-9+/=]+)';$/m.exec(text);
  return match ? match[1] : null;
}

/** The platform and parsed metadata (without any old signature) of a latest*.yml. */
function readMetadata(file) {
  const platform = signing.platformOfMetadataFile(path.basename(file));
  if (!platform) fail(`${file} is not an update metadata file (latest.yml, latest-mac.yml, latest-linux*.yml)`);
  const info = yaml.load(fs.readFileSync(file, 'utf8'));
  return { platform, info };
}

function keygen(args) {
  const out = option(args, '--private-key-out');
  const keyFile = option(args, '--release-key-file') ?? RELEASE_KEY_FILE;
  if (!out) fail('keygen needs --private-key-out FILE');
  if (fs.existsSync(out)) fail(`${out} exists; refusing to overwrite a private key`);
  const source = fs.readFileSync(keyFile, 'utf8');
  if (!KEY_LINE.test(source)) fail(`${keyFile} has no RELEASE_PUBLIC_KEY line to write`);
  const keys = signing.generateSigningKeys();
  fs.writeFileSync(out, `${keys.privateKey}\n`, { mode: 0o600 });
  fs.writeFileSync(keyFile, source.replace(KEY_LINE, `export const RELEASE_PUBLIC_KEY: string | null = '${keys.publicKey}';`));
  console.log(`Release key ${signing.keyFingerprint(keys.publicKey)}`);
  console.log(`  public key written to ${path.relative(process.cwd(), keyFile)}: commit it`);
  console.log(`  private key written to ${out}: store its content as the HEARTH_UPDATE_SIGNING_KEY secret, then delete the file`);
}

function sign(args) {
  const privateKey = process.env.HEARTH_UPDATE_SIGNING_KEY?.trim();
  if (!privateKey) fail('HEARTH_UPDATE_SIGNING_KEY is not set');
  const expected = option(args, '--public-key') ?? committedKey(option(args, '--release-key-file') ?? RELEASE_KEY_FILE);
  const publicKey = signing.publicKeyOf(privateKey);
  if (expected !== publicKey) {
    fail(`the signing key (${signing.keyFingerprint(publicKey)}) is not the release key the app trusts (${expected ? signing.keyFingerprint(expected) : 'none committed'})`);
  }
  if (args.length === 0) fail('sign needs metadata files');
  for (const file of args) {
    const { platform, info } = readMetadata(file);
    delete info[signing.SIGNATURE_FIELD];
    const signature = signing.signUpdateInfo(info, platform, privateKey);
    const text = fs.readFileSync(file, 'utf8').replace(new RegExp(`^${signing.SIGNATURE_FIELD}:.*\\n?`, 'm'), '');
    fs.writeFileSync(file, `${text.endsWith('\n') ? text : `${text}\n`}${signing.SIGNATURE_FIELD}: ${signature}\n`);
    const check = signing.verifyUpdateSignature(readMetadata(file).info, publicKey, platform);
    if (!check.ok) fail(`${file}: ${check.reason}`);
    console.log(`signed ${file} (${platform}, version ${check.update.version}, key ${signing.keyFingerprint(publicKey)})`);
  }
}

function verifyFiles(args) {
  const publicKey = option(args, '--public-key') ?? committedKey(option(args, '--release-key-file') ?? RELEASE_KEY_FILE);
  if (!publicKey) fail('no public key: pass --public-key or commit one with keygen');
  if (args.length === 0) fail('verify needs metadata files');
  let bad = 0;
  for (const file of args) {
    const { platform, info } = readMetadata(file);
    const check = signing.verifyUpdateSignature(info, publicKey, platform);
    if (check.ok) console.log(`ok ${file} (${platform}, version ${check.update.version})`);
    else {
      bad += 1;
      console.error(`FAILED ${file}: ${check.reason}`);
    }
  }
  if (bad > 0) process.exit(1);
}

const [command, ...args] = process.argv.slice(2);
if (command === 'keygen') keygen(args);
else if (command === 'sign') sign(args);
else if (command === 'verify') verifyFiles(args);
else fail('usage: update-signing.mjs keygen --private-key-out FILE | sign FILE... | verify [--public-key KEY] FILE...');
