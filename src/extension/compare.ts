// The runs table's "config differences": where two experiments differ, setting by setting. No
// vscode import (the unit tests call it). The name is left out: runs of one experiment share it.

/** Leaf settings as dotted paths ("model.hidden", "sweep.from"); arrays are one leaf. */
function leaves(value: unknown, prefix: string, out: Map<string, string>): void {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) leaves(v, prefix ? `${prefix}.${k}` : k, out);
  } else if (value !== undefined) out.set(prefix, JSON.stringify(value));
}

/** Every setting whose value differs between `run` and `shown` (missing on one side: "–"), in path order. */
export function configDifferences(run: object, shown: object): { path: string; value: string; shown: string }[] {
  const a = new Map<string, string>();
  const b = new Map<string, string>();
  leaves(run, '', a);
  leaves(shown, '', b);
  const paths = [...new Set([...a.keys(), ...b.keys()])].filter((p) => p !== 'name' && p !== '$schema').sort();
  return paths.filter((p) => a.get(p) !== b.get(p)).map((p) => ({ path: p, value: a.get(p) ?? '–', shown: b.get(p) ?? '–' }));
}
