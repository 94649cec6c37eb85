// Which loader reads a file, decided in this order (README "Inventories"):
//   1. `#!` first, or an executable binary: an Ansible dynamic inventory script;
//   2. `.yaml`/`.yml`: Ansible YAML when it is a mapping of groups (`all:`,
//      or only `hosts:`/`children:`/`vars:` under each key), else baton YAML;
//      `.json`: Ansible (JSON is YAML to it);
//   3. first directive `Host`/`Match`/`Include`: ssh_config (rarely has an extension);
//   4. a `[group]` section or a `host key=value` line, or `.ini`: Ansible INI;
//      no extension and a YAML mapping of groups: Ansible YAML;
//   5. anything else: a pssh hosts file.
// A directory is an Ansible inventory directory (load.ts).
import { isInventoryScript, looksLikeAnsibleIni, looksLikeAnsibleYaml, parseYamlQuietly } from './ansible/ansible-format.js';

export type DetectedFormat = 'baton' | 'pssh' | 'ssh-config' | 'ansible' | 'ansible-script';

export interface DetectOptions {
  executable?: boolean;
  /** The text as YAML values, or undefined when it is not YAML; a loader that parses it anyway passes its own parse, so a large inventory is parsed once. */
  yamlValue?: () => unknown;
}

export function detectFormat(file: string, text: string, options: DetectOptions = {}): DetectedFormat {
  if (isInventoryScript(text, options.executable ?? false)) return 'ansible-script';
  const yamlValue = options.yamlValue ?? (() => parseYamlQuietly(text));
  if (/\.ya?ml$/i.test(file)) return looksLikeAnsibleYaml(yamlValue()) ? 'ansible' : 'baton';
  if (/\.json$/i.test(file)) return 'ansible';
  const first = text.split(/\r?\n/).find((line) => line.trim() !== '' && !line.trim().startsWith('#'));
  if (first !== undefined && /^\s*(host|match|include)[\s=]/i.test(first)) return 'ssh-config';
  if (/\.ini$/i.test(file) || looksLikeAnsibleIni(text)) return 'ansible';
  if (!/\.[^./]+$/.test(file) && looksLikeAnsibleYaml(yamlValue())) return 'ansible';
  return 'pssh';
}

/** Why a file read as pssh was not read as another format, for its errors. */
export const PSSH_FALLBACK_NOTE =
  'read as a pssh hosts file, the last format tried: not baton YAML (no .yaml/.yml extension), not ssh_config (the first line is not Host, Match or Include), not an Ansible inventory (no [group] section, no "host key=value" line, no YAML mapping of groups)';
