// Strict host key checking for the SSH transport, OpenSSH-style: a known key
// passes, an unknown one is refused (or recorded with accept-new), a changed
// or revoked one is always refused.
import { describeMismatch, describeUnknown, fingerprintSha256, hostKeyAlgorithmsFor, type KnownHosts } from './known-hosts.js';
import type { HostKeyCheck, HostKeyVerifier } from './ssh-transport.js';

export class KnownHostsVerifier implements HostKeyVerifier {
  constructor(
    private readonly knownHosts: KnownHosts,
    private readonly acceptNew: boolean,
    /** Where a failed accept-new write is reported (the key is still used for this run). */
    private readonly warn: (message: string) => void = () => undefined,
  ) {}

  algorithmsFor(host: string, port: number): string[] | undefined {
    const types = this.knownHosts.knownKeyTypes(host, port);
    return types.length > 0 ? hostKeyAlgorithmsFor(types) : undefined;
  }

  check(host: string, port: number, key: Buffer): HostKeyCheck {
    const fingerprint = fingerprintSha256(key);
    const file = this.knownHosts.file;
    const result = this.knownHosts.check(host, port, key);
    switch (result.status) {
      case 'known':
        return { ok: true, fingerprint };
      case 'unknown':
        if (this.acceptNew) {
          this.knownHosts.addHost(host, port, key).catch((err: Error) => this.warn(`could not record ${host}:${port} in ${file}: ${err.message}`));
          return { ok: true, fingerprint };
        }
        return {
          ok: false,
          fingerprint,
          state: 'hostkey-unknown',
          message: describeUnknown(host, port, fingerprint, file),
          hint: 'verify the fingerprint, then add it to known_hosts or rerun with --accept-new',
        };
      case 'mismatch':
        return {
          ok: false,
          fingerprint,
          state: 'hostkey-mismatch',
          message: describeMismatch(host, port, fingerprint, result.file, result.line),
          hint: `remove the old key from ${result.file}:${result.line} only after verifying the new one`,
        };
      case 'revoked':
        return {
          ok: false,
          fingerprint,
          state: 'hostkey-mismatch',
          message: `${host}:${port} presents a REVOKED host key (${fingerprint}, ${result.file}:${result.line}); not connecting.`,
          hint: 'the host must get a new host key',
        };
    }
  }
}
