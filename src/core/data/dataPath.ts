// Where a config's data file may live. A config is input from whoever wrote it (a cloned
// repository, a colleague): its `data.path` must not make the engine read, echo or copy files
// from elsewhere on the machine (`../../.ssh/id_rsa`, `/etc/passwd`).

import { realpathSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import { InputError } from '../errors';

/** Whether `path` is `root` or lies under it (both already resolved). */
export function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/** Follows symlinks where the path exists, so a link inside the tree cannot point out of it. */
function real(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

/**
 * The absolute path of a config's data file, `dataPath` relative to `configDir`, after checking
 * that it resolves (symlinks followed) inside `root`: the config's folder tree for the CLI, the
 * workspace folder in the editor; `root` null allows anywhere (`--allow-outside-data`).
 * Returns the message instead of throwing so validation can locate it at `data.path`.
 */
export function checkDataPath(configDir: string, dataPath: string, root: string | null): { path: string } | { problem: string } {
  const path = resolve(configDir, dataPath);
  if (root === null) return { path };
  if (isInside(real(resolve(root)), real(path))) return { path };
  return {
    problem: `data.path "${dataPath}" resolves outside ${resolve(root)}: data files must lie inside the config's folder tree (the workspace in the editor); copy the file there, or run the CLI with --allow-outside-data`,
  };
}

/** checkDataPath for callers that cannot locate the problem: throws it as an InputError. */
export function resolveDataPath(configDir: string, dataPath: string, root: string | null): string {
  const r = checkDataPath(configDir, dataPath, root);
  if ('problem' in r) throw new InputError(r.problem);
  return r.path;
}
