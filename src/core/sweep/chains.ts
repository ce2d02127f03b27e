import type { Experiment } from '../config/types';
import { InputError } from '../errors';
import type { ChainDirection } from './point';
import { lambdaGrid } from './grid';

/** One warm-started walk over the λ grid: the unit of parallel work and of sharding. */
export interface ChainSpec {
  /** Stable name, e.g. "up-s0": file names and shard assignment use it. */
  id: string;
  seed: number;
  direction: ChainDirection;
  /** Grid positions in the order the chain visits them. */
  points: { id: string; index: number; lambda: number }[];
}

export function pointId(direction: ChainDirection, seed: number, index: number): string {
  return `${direction}-s${seed}-${String(index).padStart(3, '0')}`;
}

/**
 * Every chain of an experiment, in a fixed order (seeds, then up, down, fresh). `both` gives an
 * up chain and an independent down chain that starts from a fresh initialization at the top of
 * the grid; their disagreement is the hysteresis of a first-order transition. `fresh` adds a
 * chain that trains every λ from the seed's initialization, without continuation.
 */
export function planChains(e: Experiment): ChainSpec[] {
  const grid = lambdaGrid(e.sweep);
  const directions: ChainDirection[] = [...(e.sweep.direction === 'both' ? (['up', 'down'] as const) : [e.sweep.direction]), ...(e.sweep.fresh ? (['fresh'] as const) : [])];
  const chains: ChainSpec[] = [];
  for (const seed of e.sweep.seeds) {
    for (const direction of directions) {
      const order = grid.map((lambda, index) => ({ id: pointId(direction, seed, index), index, lambda }));
      if (direction === 'down') order.reverse();
      chains.push({ id: `${direction}-s${seed}`, seed, direction, points: order });
    }
  }
  return chains;
}

/** Shard `index` of `count` takes every count-th chain, so shards stay balanced. */
/** One part of a sharded run: chains index, index + count, index + 2·count, … (0 ≤ index < count). */
export interface Shard {
  index: number;
  count: number;
}

export function shardChains(chains: ChainSpec[], { index, count }: Shard): ChainSpec[] {
  // More shards than chains leaves some shards nothing to do: a job array sized for another sweep.
  if (count > chains.length) {
    throw new InputError(
      `the sweep has ${chains.length} chains (seeds × directions), so it splits into at most ${chains.length} shards, not ${count}: submit --array=0-${chains.length - 1} (or fewer tasks; each then runs several chains)`,
    );
  }
  return chains.filter((_, i) => i % count === index);
}
