// The engine's `validate`: the checks of a config that need its data (checkData), kept by what
// the data depend on (dataKey: the data section, the seed, the data file's size and time), so
// an edit to the sweep, the model or the training does not read or generate the data again.
import { dirname } from 'node:path';
import { parse } from 'jsonc-parser';
import { checkData, type DataCheck } from '../core/config/parse';
import type { EngineMethods } from '../protocol/engine';
import { dataKey } from './dataKey';

/** Checks kept (two configs edited alternately keep both). */
const KEEP = 4;
const checks = new Map<string, DataCheck>();
let validations = 0;

export function validate({ text, configPath, dataRoot }: EngineMethods['validate']['params'], log: (line: string) => void): DataCheck {
  const raw: unknown = parse(text, [], { allowTrailingComma: true });
  const { data, seed } = raw !== null && typeof raw === 'object' ? (raw as { data?: unknown; seed?: unknown }) : {};
  const section = data !== null && typeof data === 'object' ? (data as { kind?: unknown; path?: unknown; targetPath?: unknown }) : {};
  const key = dataKey(section, seed, dirname(configPath), dataRoot);
  const kept = checks.get(key);
  if (kept) return kept;
  const started = performance.now();
  const check = checkData(text, configPath, { dataRoot }) ?? { problems: [], complete: false };
  const found = check.problems.length ? `: ${check.problems.map((p) => p.message).join('; ')}` : '';
  // Said only when the data were read or generated (a config with errors elsewhere needs neither).
  if (check.complete || check.shape || check.problems.length)
    log(`engine: validated the ${String(section.kind)} data of ${configPath} in ${Math.round(performance.now() - started)} ms (validation ${++validations} of this process)${found}`);
  // Incomplete (the rest of the config has errors): its data are yet to be generated once it is fixed.
  if (check.complete) {
    checks.set(key, check);
    if (checks.size > KEEP) checks.delete(checks.keys().next().value!);
  }
  return check;
}
