import type { Experiment } from '../config/types';
import { InputError } from '../errors';
import { axisGrid } from './axis';
import type { ChainDirection } from './point';

/** One warm-started walk over the sweep's grid: the unit of parallel work and of sharding. */
export interface ChainSpec {
  /** Stable name, e.g. "up-s0" (2-D: "up-s0-r003"): file names and shard assignment use it. */
  id: string;
  seed: number;
  direction: ChainDirection;
  /** A 2-D sweep's chain walks the first axis at this value of the second (`sweep.across`). */
  across?: number;
  /** Grid positions in the order the chain visits them: `value` is the swept coordinate. */
  points: { id: string; index: number; value: number }[];
}

const three = (i: number) => String(i).padStart(3, '0');

/** A chain's name: direction, seed and (2-D) the row, the second axis's grid position. */
export function chainId(direction: ChainDirection, seed: number, row?: number): string {
  return `${direction}-s${seed}${row === undefined ? '' : `-r${three(row)}`}`;
}

export function pointId(direction: ChainDirection, seed: number, index: number, row?: number): string {
  return `${chainId(direction, seed, row)}-${three(index)}`;
}

/**
 * Every chain of an experiment, in a fixed order (rows of a 2-D sweep, seeds, then up, down,
 * fresh). `both` gives an up chain and an independent down chain that starts from a fresh
 * initialization at the top of the grid; their disagreement is the hysteresis of a first-order
 * transition. `fresh` adds a chain that trains every point from the seed's initialization,
 * without continuation. A 2-D sweep repeats that for every value of its second axis.
 */
export function planChains(e: Experiment): ChainSpec[] {
  const grid = axisGrid(e.sweep);
  const directions: ChainDirection[] = [...(e.sweep.direction === 'both' ? (['up', 'down'] as const) : [e.sweep.direction]), ...(e.sweep.fresh ? (['fresh'] as const) : [])];
  const rows: (number | undefined)[] = e.sweep.across ? axisGrid(e.sweep.across) : [undefined];
  const chains: ChainSpec[] = [];
  rows.forEach((across, r) => {
    const row = across === undefined ? undefined : r;
    for (const seed of e.sweep.seeds) {
      for (const direction of directions) {
        const order = grid.map((value, index) => ({ id: pointId(direction, seed, index, row), index, value }));
        if (direction === 'down') order.reverse();
        chains.push({ id: chainId(direction, seed, row), seed, direction, ...(across === undefined ? {} : { across }), points: order });
      }
    }
  });
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
