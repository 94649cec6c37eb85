// The Databases pane's own keys (none is bound in the keymap), for the pane,
// its key line and `?`; and which action each starts on the server under the
// cursor: the same key does the same thing on PostgreSQL and MySQL/MariaDB.
import type { ServiceState } from '../../store/services.js';

export const DATABASES_KEYS = { promote: 'F', pause: 'z', resume: 'u' } as const;

export type DatabaseKey = keyof typeof DATABASES_KEYS;

const ACTION_OF: Partial<Record<ServiceState['kind'], Record<DatabaseKey, string>>> = {
  postgresql: { promote: 'postgresql.promote', pause: 'postgresql.pause-replay', resume: 'postgresql.resume-replay' },
  mysql: { promote: 'mysql.promote', pause: 'mysql.stop-replica', resume: 'mysql.start-replica' },
};

export const DATABASES_KEY_HINTS: readonly string[] = [`${DATABASES_KEYS.promote} promote`, `${DATABASES_KEYS.pause}/${DATABASES_KEYS.resume} pause/resume`];

/** One line in `?` (it pages past its height), its key as short as the others' so no column narrows. */
export const DATABASES_KEY_HELP: readonly { key: string; help: string }[] = [
  { key: DATABASES_KEYS.promote, help: `Databases pane: promote the server (f: old primary fenced); ${DATABASES_KEYS.pause}/${DATABASES_KEYS.resume} pause/resume replication` },
];

/** The pane's key an input is, if any. */
export const databaseKey = (input: string): DatabaseKey | undefined => (Object.keys(DATABASES_KEYS) as DatabaseKey[]).find((k) => DATABASES_KEYS[k] === input);

/** The action a key starts on a server of this kind. */
export const databaseAction = (kind: ServiceState['kind'], key: DatabaseKey): string | undefined => ACTION_OF[kind]?.[key];
