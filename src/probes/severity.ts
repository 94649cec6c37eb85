// How bad a probe's finding is; the store and the UI carry it as is.
export type Severity = 'info' | 'warn' | 'crit';
