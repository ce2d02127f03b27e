import { createHash } from 'node:crypto';
import type { Dataset } from './dataset';

/**
 * SHA-256 (hex) of the samples themselves: task, shapes and the float64 bytes of both splits.
 * The config hash cannot see a CSV edited in place or another MNIST subset; this can, so shards
 * of different data never merge and a resumed folder never mixes two data sets.
 */
export function datasetHash(ds: Dataset): string {
  const h = createHash('sha256').update(`${ds.task} ${ds.inputDim} ${ds.outputDim} ${ds.train.n} ${ds.test.n}\n`);
  for (const a of [ds.train.x, ds.train.y, ds.test.x, ds.test.y]) h.update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  return h.digest('hex');
}
