// Private keys are read and decrypted once, at start-up, before the screen
// takes over: an encrypted key's passphrase is asked for once per file.
import { createPrivateKey, sign, type KeyObject } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import ssh2 from 'ssh2';

export type ParsedKey = ssh2.ParsedKey;

export type PassphrasePrompt = (file: string) => Promise<string>;

export class IdentityError extends Error {
  constructor(
    readonly file: string,
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'IdentityError';
  }
}

/** OpenSSH's default identities, in its order, that exist on this machine. */
export function defaultIdentityFiles(home = homedir()): string[] {
  return ['id_ed25519', 'id_ecdsa', 'id_rsa'].map((f) => join(home, '.ssh', f)).filter((f) => existsSync(f));
}

function isEncryptedKeyError(err: Error): boolean {
  return /encrypted/i.test(err.message) && /passphrase/i.test(err.message);
}

function parseOne(file: string, data: Buffer, passphrase?: string): ParsedKey | Error {
  const parsed = ssh2.utils.parseKey(data, passphrase);
  if (parsed instanceof Error) return parsed;
  const key = Array.isArray(parsed) ? parsed[0] : parsed;
  return key ? signingOnceDecoded(key) : new Error(`no key found in ${file}`);
}

/** The hash each key type signs with when ssh2 names none (its own defaults). */
const DEFAULT_HASH: Record<string, string | null> = {
  'ssh-ed25519': null,
  'ecdsa-sha2-nistp256': 'sha256',
  'ecdsa-sha2-nistp384': 'sha384',
  'ecdsa-sha2-nistp521': 'sha512',
  'ssh-rsa': 'sha1',
};

/**
 * ssh2 signs with the key's PEM text, which OpenSSL 3 decodes anew for every
 * signature: about 1.5 ms against 0.05 ms with a decoded key, most of a core
 * when hundreds of hosts log in at once. The same signatures, from the key
 * decoded once; a key OpenSSL cannot take from its PEM keeps ssh2's way.
 */
function signingOnceDecoded(key: ParsedKey): ParsedKey {
  const defaultHash = DEFAULT_HASH[key.type];
  if (defaultHash === undefined) return key;
  let decoded: KeyObject;
  try {
    decoded = createPrivateKey(key.getPrivatePEM());
  } catch {
    return key;
  }
  const signOnce = (data: Buffer, algo?: string): Buffer | Error => {
    try {
      return sign(algo || defaultHash, data, decoded);
    } catch (error) {
      return error as Error;
    }
  };
  return Object.assign(key, { sign: signOnce });
}

/**
 * Loads every distinct identity file once. Throws IdentityError naming the
 * file when one cannot be used, so nothing starts with a broken key.
 */
export async function loadIdentities(files: Iterable<string>, prompt?: PassphrasePrompt): Promise<Map<string, ParsedKey>> {
  const keys = new Map<string, ParsedKey>();
  for (const file of new Set(files)) {
    let data: Buffer;
    try {
      data = readFileSync(file);
    } catch (err) {
      throw new IdentityError(file, `cannot read identity file ${file}: ${(err as Error).message}`, 'check the path given by --identity or in the inventory');
    }
    let key = parseOne(file, data);
    if (key instanceof Error && isEncryptedKeyError(key)) {
      if (!prompt) {
        throw new IdentityError(
          file,
          `identity file ${file} is encrypted and no terminal is available to ask for its passphrase`,
          `load it into ssh-agent first: ssh-add ${file}`,
        );
      }
      key = parseOne(file, data, await prompt(file));
      if (key instanceof Error) throw new IdentityError(file, `wrong passphrase for ${file}`, `try again, or: ssh-add ${file}`);
    }
    if (key instanceof Error) throw new IdentityError(file, `cannot parse identity file ${file}: ${key.message}`);
    keys.set(file, key);
  }
  return keys;
}
