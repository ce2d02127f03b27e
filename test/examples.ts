import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** A fresh workspace: a temporary copy of examples/ without results of earlier runs (.l2exp/). */
export function copyExamples(root: string, prefix: string): string {
  const workspace = mkdtempSync(join(tmpdir(), prefix));
  cpSync(join(resolve(root), 'examples'), workspace, { recursive: true, filter: (src) => !src.includes('.l2exp/') && !src.endsWith('.l2exp') });
  return workspace;
}
