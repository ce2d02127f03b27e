// Which files the extension may open or read for a workspace: paths that come from elsewhere
// (a webview's saved state, a config's data.path) are checked against the open folders. No
// vscode import: the folders are passed in, so the unit tests call these directly.
import { realpathSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { isInside } from '../core/data/dataPath';

/** The innermost open folder holding `path` (by name, symlinks not followed), if any. */
export function folderOf(path: string, folders: readonly string[]): string | undefined {
  return folders
    .map((f) => resolve(f))
    .filter((f) => isInside(f, resolve(path)))
    .sort((a, b) => b.length - a.length)[0];
}

/**
 * Where a config's data files may live: its workspace folder; for a config outside every open
 * folder, its own folder.
 */
export function dataRoot(configPath: string, folders: readonly string[]): string {
  return folderOf(configPath, folders) ?? dirname(resolve(configPath));
}

/**
 * The experiment a restored sweep panel may open, from the webview's saved state (which the
 * webview's script can write anything into): an absolute path ending in `.l2exp.json` that
 * exists and lies, symlinks followed, inside an open workspace folder. Undefined otherwise.
 */
export function restorableConfig(path: unknown, folders: readonly string[]): string | undefined {
  if (typeof path !== 'string' || !isAbsolute(path) || !path.endsWith('.l2exp.json')) return undefined;
  let real: string;
  try {
    real = realpathSync(path);
  } catch {
    return undefined;
  }
  if (!real.endsWith('.l2exp.json')) return undefined;
  const inside = folders.some((f) => {
    try {
      return isInside(realpathSync(f), real);
    } catch {
      return false;
    }
  });
  return inside ? resolve(path) : undefined;
}
