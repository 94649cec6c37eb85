// BACKEND/SERVER as the operator writes it. HAProxy itself allows only
// letters, digits and `- _ . :` in proxy and server names (it refuses to load
// a config with any other), so a name outside that set cannot name a real
// server, and its runtime CLI would split it on spaces or `;` anyway: such a
// name is refused here, before any command is built.

import { quoteSnippet } from '../../../inventory/quote-snippet.js';

export interface ServerRef {
  backend: string;
  server: string;
}

/** The characters HAProxy 2.6 accepts in proxy and server names (cfgparse's invalid_char). */
const HAPROXY_NAME = /^[A-Za-z0-9._:-]+$/;

export const isHaproxyName = (name: string): boolean => HAPROXY_NAME.test(name);

/** `app/web2` -> { backend: 'app', server: 'web2' }; a string says why it is not one. */
export function parseServerRef(text: string): ServerRef | string {
  const slash = text.indexOf('/');
  if (slash <= 0 || slash === text.length - 1) return `${quoteSnippet(text)} is not BACKEND/SERVER (e.g. app/web2)`;
  const backend = text.slice(0, slash);
  const server = text.slice(slash + 1);
  for (const [what, name] of [['backend', backend], ['server', server]] as const) {
    if (!isHaproxyName(name)) {
      return `${what} name ${quoteSnippet(name)} cannot be a HAProxy name: HAProxy allows only letters, digits and - _ . : (and its runtime CLI would split it at spaces or ;)`;
    }
  }
  return { backend, server };
}

export const refText = (ref: ServerRef): string => `${ref.backend}/${ref.server}`;
