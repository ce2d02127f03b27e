// A fingerprint of a resolved experiment, stored with its results so a results folder can be
// matched to the config that produced it (and stale results detected after an edit).

import { createHash } from 'node:crypto';
import type { Experiment } from './types';

/** JSON with object keys sorted at every depth and undefined members dropped: one text per value. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.keys(value)
      .sort()
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * First 12 hex digits of sha256 over the canonical resolved experiment. Resolved, so writing a
 * default out explicitly keeps the hash; `workers` is left out because it changes how fast the
 * results come, not what they are.
 */
export function experimentHash(e: Experiment): string {
  const { workers: _workers, ...rest } = e;
  return createHash('sha256').update(canonicalJson(rest)).digest('hex').slice(0, 12);
}
