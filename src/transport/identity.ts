// Private keys are read and decrypted once, at start-up, before the screen
// takes over: an encrypted key's passphrase is asked for once per file.
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
  return Array.isArray(parsed) ? (parsed[0] ?? new Error(`no key found in ${file}`)) : parsed;
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
