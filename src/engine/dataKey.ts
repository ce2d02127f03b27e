// What a data set depends on, as one string: the engine keeps data sets and data checks by it,
// so an edit to the sweep, the model or the training finds them again.
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { canonicalJson } from '../core/config/hash';

/** The data settings, the seed, the folders, and the data files as they are now (an edited CSV is another key). */
export function dataKey(data: { path?: unknown; targetPath?: unknown }, seed: unknown, configDir: string, root: string): string {
  const files = [data.path, data.targetPath]
    .filter((p): p is string => typeof p === 'string' && p !== '')
    .map((p) => {
      const st = statSync(resolve(configDir, p), { throwIfNoEntry: false });
      return st ? [p, st.size, st.mtimeMs] : [p, null];
    });
  return canonicalJson({ data, seed, configDir, root, files });
}
