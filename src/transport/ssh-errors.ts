// Maps ssh2's errors onto baton's connection states, with a message naming
// the host and a next step for the operator.
import { TransportError } from './types.js';

interface Ssh2Error extends Error {
  level?: string;
  code?: string;
}

export function classifySshError(err: Ssh2Error, target: string, connectTimeoutMs: number): TransportError {
  if (err.level === 'client-timeout') {
    return new TransportError(
      'timed-out',
      `${target}: no SSH handshake within ${connectTimeoutMs / 1000} s`,
      'the host or network is slow or dropping packets; raise --connect-timeout if it is just slow',
    );
  }
  if (err.level === 'client-authentication') {
    return new TransportError(
      'auth-failed',
      `${target}: authentication failed (tried ssh-agent and the identity files)`,
      'check the user and that the public key is in ~/.ssh/authorized_keys on the host; --identity FILE picks a key',
    );
  }
  switch (err.code) {
    case 'ECONNREFUSED':
      return new TransportError('unreachable', `${target}: connection refused`, 'is sshd running and listening on that port?');
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return new TransportError('unreachable', `${target}: no route to host`, 'check the address and the network path');
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new TransportError('unreachable', `${target}: name does not resolve`, 'check the address in the inventory or in ~/.ssh/config');
    case 'ECONNRESET':
    case 'EPIPE':
      return new TransportError('unreachable', `${target}: connection reset`, 'sshd closed the connection; see its log on the host');
    case 'ETIMEDOUT':
      return new TransportError('timed-out', `${target}: TCP connect timed out`, 'the host is down or a firewall drops packets');
    default:
      return new TransportError('unreachable', `${target}: ${err.message}`);
  }
}
