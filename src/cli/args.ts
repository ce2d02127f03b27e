import { InputError } from '../core/errors';
import type { Shard } from '../core/sweep/chains';

/** Thrown for a bad command line: printed without a stack, exit code 2. */
export class UsageError extends InputError {}

export interface ParsedArgs {
  positional: string[];
  flags: Map<string, string | true>;
}

/** `--name value`, `--name=value` and bare `--flag`; `booleans` never take a value. */
export function parseArgs(argv: string[], booleans: ReadonlySet<string>, known: ReadonlySet<string>): ParsedArgs {
  const positional: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) {
      positional.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    const name = eq >= 0 ? a.slice(2, eq) : a.slice(2);
    if (!known.has(name)) throw new UsageError(`unknown option --${name}`);
    if (booleans.has(name)) flags.set(name, true);
    else if (eq >= 0) flags.set(name, a.slice(eq + 1));
    else if (i + 1 < argv.length) flags.set(name, argv[++i]);
    else throw new UsageError(`--${name} needs a value`);
  }
  return { positional, flags };
}

export function positiveInt(name: string, text: string): number {
  const v = Number(text);
  if (!Number.isInteger(v) || v < 1) throw new UsageError(`${name} must be a positive integer (got "${text}")`);
  return v;
}

/**
 * The shard this process runs: `--shard I/N` (0-based I), else a Slurm array task
 * (SLURM_ARRAY_TASK_ID − SLURM_ARRAY_TASK_MIN of SLURM_ARRAY_TASK_COUNT), else a Kubernetes
 * Indexed Job (JOB_COMPLETION_INDEX of L2EXP_SHARD_COUNT), else none.
 */
export function resolveShard(flag: string | undefined, env: NodeJS.ProcessEnv): Shard | null {
  const parse = (index: number, count: number, where: string) => {
    if (!Number.isInteger(index) || !Number.isInteger(count) || count < 1 || index < 0 || index >= count) {
      throw new UsageError(`${where}: shard ${index} of ${count} is not a valid shard (need 0 ≤ I < N)`);
    }
    return { index, count };
  };
  if (flag !== undefined) {
    const m = /^(\d+)\/(\d+)$/.exec(flag);
    if (!m) throw new UsageError(`--shard takes I/N, e.g. --shard 0/4 (got "${flag}")`);
    return parse(Number(m[1]), Number(m[2]), '--shard');
  }
  if (env.SLURM_ARRAY_TASK_ID !== undefined && env.SLURM_ARRAY_TASK_COUNT !== undefined) {
    const min = Number(env.SLURM_ARRAY_TASK_MIN ?? 0);
    return parse(Number(env.SLURM_ARRAY_TASK_ID) - min, Number(env.SLURM_ARRAY_TASK_COUNT), 'SLURM_ARRAY_TASK_ID');
  }
  if (env.JOB_COMPLETION_INDEX !== undefined) {
    if (env.L2EXP_SHARD_COUNT === undefined) throw new UsageError("JOB_COMPLETION_INDEX is set but L2EXP_SHARD_COUNT is not: set it to the Job's completions");
    return parse(Number(env.JOB_COMPLETION_INDEX), Number(env.L2EXP_SHARD_COUNT), 'JOB_COMPLETION_INDEX');
  }
  return null;
}
