// Keeps l2exp.schema.json, the Experiment types and the code's defaults from drifting apart.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import Ajv from 'ajv';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isFileKind } from '../../src/core/config/defaults';
import { encodeNpz } from '../../src/core/npy/npy';
import { parseExperiment } from '../../src/core/config/parse';
import { experimentSchema, type SchemaNode } from '../../src/core/config/schema';
import type {
  Activation,
  BackendChoice,
  DataConfig,
  DataKind,
  DecoderKind,
  Experiment,
  InitScheme,
  LossKind,
  ModelKind,
  OptimizerKind,
  SweepDirection,
  SweepParameter,
  Task,
} from '../../src/core/config/types';

/** Every property of an object type, optional ones included, recursively. */
type Full<T> = T extends unknown[] ? T : T extends object ? { [K in keyof T]-?: Full<Exclude<T[K], undefined>> } : T;

/**
 * An Experiment with every optional field set. `Full<Experiment>` makes the compiler reject it if a
 * property is added to the types and not here, so walking it visits every property there is.
 */
const EVERY_PROPERTY: Full<Experiment> = {
  name: 'x',
  seed: 0,
  data: {
    kind: 'linear',
    n: 2,
    inputDim: 1,
    outputDim: 1,
    noise: 0,
    testFraction: 0,
    singularValues: [1],
    whiten: true,
    teacherHidden: [1],
    teacherActivation: 'tanh',
    indexDim: 1,
    downsample: 4,
    path: 'a.csv',
    target: 0,
    targetPath: 'y.npy',
    task: 'regression',
  } satisfies Full<DataConfig>,
  model: {
    kind: 'vae',
    hidden: [1],
    activation: 'tanh',
    bias: true,
    regularizeBias: false,
    decoderHidden: [1],
    latentDim: 1,
    decoder: 'gaussian',
    observationVariance: 1,
    samples: 1,
    matchMoments: false,
  },
  loss: 'mse',
  train: {
    optimizer: 'lbfgs',
    learningRate: 1,
    batchSize: 'full',
    maxSteps: 1,
    tolerance: 1,
    init: 'he',
    initScale: 1,
    lambda: 0,
    beta: 1,
    memory: 1,
    escape: { enabled: true, maxEscapes: 1, lanczosSteps: 2 },
  },
  sweep: {
    parameter: 'lambda',
    from: 0,
    to: 1,
    points: 1,
    scale: 'log',
    ratio: false,
    layer: 0,
    direction: 'up',
    warmStart: true,
    fresh: false,
    perturbation: 0.001,
    seeds: [0],
    across: { parameter: 'samples', from: 1, to: 2, points: 2, scale: 'linear', ratio: true, layer: 0 },
  },
  analysis: {
    geometricComplexity: true,
    activeThreshold: 0,
    trajectory: [0],
    activeKl: 0.01,
    hessian: {
      enabled: true,
      exactLimit: 1,
      topK: 1,
      lanczosSteps: 2,
      slqProbes: 1,
      slqGridPoints: 16,
      hutchinsonProbes: 1,
      tolerance: 1,
    },
    transitions: { refine: true, bracketWidth: 0.5, refineBudget: 1, observables: ['outliers'] },
  },
  backend: 'auto',
  workers: 'auto',
};

/** The schema's sub-object properties, by dotted path (oneOf branches are leaves). */
function schemaProperties(node: SchemaNode = experimentSchema, prefix = ''): Map<string, SchemaNode> {
  const out = new Map<string, SchemaNode>();
  for (const [key, child] of Object.entries(node.properties ?? {})) {
    const path = prefix ? `${prefix}.${key}` : key;
    out.set(path, child);
    for (const [p, c] of schemaProperties(child, path)) out.set(p, c);
  }
  return out;
}

/** Dotted paths of every property in a value (arrays are leaves). */
function valuePaths(value: object, prefix = ''): string[] {
  return Object.entries(value as Record<string, unknown>).flatMap(([key, v]) => {
    const path = prefix ? `${prefix}.${key}` : key;
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? [path, ...valuePaths(v, path)] : [path];
  });
}

function get(value: unknown, dotted: string): unknown {
  return dotted.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], value);
}

const PROPERTIES = schemaProperties();

test('every property of Experiment is in the schema with a description, and nothing else is', () => {
  const typed = valuePaths(EVERY_PROPERTY);
  for (const path of typed) {
    const node = PROPERTIES.get(path);
    assert.ok(node, `schema lacks ${path}`);
    assert.ok((node.description ?? '').length > 10, `${path} needs a description`);
  }
  const extra = [...PROPERTIES.keys()].filter((p) => p !== '$schema' && !typed.includes(p));
  assert.deepEqual(extra, [], 'schema properties missing from the Experiment type');
});

test('every schema object is closed, and enum descriptions line up with their enums', () => {
  const walk = (node: SchemaNode, path: string) => {
    if (node.type === 'object') assert.equal(node.additionalProperties, false, `${path || 'top level'} must set additionalProperties: false`);
    const described = (node as { enumDescriptions?: string[] }).enumDescriptions;
    if (described) assert.equal(described.length, node.enum?.length, `${path}: one enumDescription per enum value`);
    for (const [k, c] of Object.entries(node.properties ?? {})) walk(c, path ? `${path}.${k}` : k);
  };
  walk(experimentSchema, '');
});

test('schema enums match the TypeScript unions', () => {
  // Records keyed by each union: the compiler rejects them if a member is missing or extra.
  const unions: Array<[string, object]> = [
    [
      'data.kind',
      {
        linear: 1,
        teacher: 1,
        'multi-index': 1,
        'two-moons': 1,
        spirals: 1,
        xor: 1,
        'gaussian-mixture': 1,
        iris: 1,
        mnist: 1,
        csv: 1,
        npy: 1,
      } satisfies Record<DataKind, 1>,
    ],
    ['data.teacherActivation', { linear: 1, tanh: 1, relu: 1, sigmoid: 1, gelu: 1 } satisfies Record<Activation, 1>],
    ['model.activation', { linear: 1, tanh: 1, relu: 1, sigmoid: 1, gelu: 1 } satisfies Record<Activation, 1>],
    ['model.kind', { mlp: 1, vae: 1 } satisfies Record<ModelKind, 1>],
    ['model.decoder', { bernoulli: 1, gaussian: 1 } satisfies Record<DecoderKind, 1>],
    ['data.task', { regression: 1, classification: 1 } satisfies Record<Task, 1>],
    ['loss', { mse: 1, 'cross-entropy': 1 } satisfies Record<LossKind, 1>],
    ['train.optimizer', { lbfgs: 1, adam: 1, sgd: 1 } satisfies Record<OptimizerKind, 1>],
    ['train.init', { xavier: 1, he: 1, lecun: 1 } satisfies Record<InitScheme, 1>],
    ['sweep.direction', { up: 1, down: 1, both: 1 } satisfies Record<SweepDirection, 1>],
    ['sweep.parameter', { lambda: 1, samples: 1, width: 1, noise: 1, initScale: 1, beta: 1 } satisfies Record<SweepParameter, 1>],
    ['sweep.across.parameter', { lambda: 1, samples: 1, width: 1, noise: 1, initScale: 1, beta: 1 } satisfies Record<SweepParameter, 1>],
    ['sweep.scale', { log: 1, linear: 1 } satisfies Record<'log' | 'linear', 1>],
    ['backend', { auto: 1, tensorflow: 1, wasm: 1, cpu: 1 } satisfies Record<BackendChoice, 1>],
  ];
  for (const [path, union] of unions) {
    assert.deepEqual([...(PROPERTIES.get(path)?.enum ?? [])].sort(), Object.keys(union).sort(), path);
  }
});

test('every schema default is itself valid', () => {
  const ajv = new Ajv({ strict: false });
  for (const [path, node] of PROPERTIES) {
    const defaults = [node.default, ...Object.values(node['x-defaultBy'] ?? {}).flatMap((m) => Object.values(m))];
    for (const d of defaults.filter((x) => x !== undefined)) {
      assert.ok(ajv.validate(node, d), `${path}: default ${JSON.stringify(d)} fails its own schema`);
    }
  }
});

/** What the schema says `path` defaults to, given the rest of the resolved experiment. */
function schemaDefault(node: SchemaNode, resolved: Experiment): unknown {
  for (const [on, table] of Object.entries(node['x-defaultBy'] ?? {})) {
    const key = String(get(resolved, on));
    if (key in table) return table[key];
  }
  return node.default;
}

const KINDS = PROPERTIES.get('data.kind')!.enum as DataKind[];
const OPTIMIZERS = PROPERTIES.get('train.optimizer')!.enum as OptimizerKind[];
const CSV = { '/cfg/points.csv': 'a,b,y\n1,2,0.5\n3,4,1.5\n5,6,2.5\n' };

/** The npy kind's arrays, on disk (NumPy files are read as bytes, not through readFile). */
const NPZ = join(mkdtempSync(join(tmpdir(), 'l2-schema-npz-')), 'points.npz');
writeFileSync(
  NPZ,
  encodeNpz([
    { name: 'x', data: Array.from({ length: 40 }, (_, i) => Math.cos(i)), shape: [20, 2] },
    { name: 'y', data: Array.from({ length: 20 }, (_, i) => i % 2), shape: [20] },
  ]),
);

/**
 * Schema → code and code → schema for one file that gives only `given` (with `x-kinds`,
 * `x-parameters` and `x-models` deciding which defaults apply). model.kind is left out of an
 * MLP's resolved model (so its hash is what it was before VAEs): absent counts as "mlp".
 */
function checkDefaults(text: string, given: Set<string>, kind: DataKind, where: string): void {
  const { experiment, problems } = parseExperiment(text, '/cfg/t.l2exp.json', { readFile: (p) => CSV[p as keyof typeof CSV], dataRoot: kind === 'npy' ? null : undefined });
  assert.deepEqual(problems, [], where);
  const e = experiment!;
  const model = e.model.kind ?? 'mlp';
  // Schema → code: every default the schema promises is what the code produced.
  for (const [p, node] of PROPERTIES) {
    // Sections, and the second axis a 1-D sweep does not have.
    if (given.has(p) || node.properties || p === '$schema' || p.startsWith('sweep.across.')) continue;
    const applies =
      (!node['x-kinds'] || node['x-kinds'].includes(kind)) && (!node['x-parameters'] || node['x-parameters'].includes(e.sweep.parameter)) && (!node['x-models'] || node['x-models'].includes(model));
    if (isFileKind(kind) && node['x-csvFromFile']) continue; // from the file; see config.test.ts
    const expected = applies ? schemaDefault(node, e) : undefined;
    assert.deepEqual(p === 'model.kind' ? model : get(e, p), expected, `${where}: ${p}`);
  }
  // Code → schema: nothing the code filled in lacks a schema default.
  for (const p of valuePaths(e)) {
    const node = PROPERTIES.get(p)!;
    if (given.has(p) || node.properties) continue;
    const documented = node.default !== undefined || node['x-defaultBy'] !== undefined || (isFileKind(kind) && node['x-csvFromFile']);
    assert.ok(documented, `${where}: the code defaults ${p} but the schema has no default for it`);
  }
}

test('the schema defaults equal the code defaults, for every data kind and optimizer', () => {
  for (const kind of KINDS) {
    for (const optimizer of OPTIMIZERS) {
      const path = kind === 'csv' ? ', "path": "points.csv"' : kind === 'npy' ? `, "path": ${JSON.stringify(NPZ)}` : '';
      const text = `{ "name": "t", "data": { "kind": "${kind}"${path} }, "train": { "optimizer": "${optimizer}" }, "sweep": { "from": 0.1, "to": 1 } }`;
      checkDefaults(text, new Set(['name', 'data.kind', 'data.path', 'train.optimizer', 'sweep.from', 'sweep.to']), kind, `${kind}/${optimizer}`);
    }
  }
});

test('the schema defaults equal the code defaults for a VAE, swept in λ and in β', () => {
  for (const kind of ['linear', 'mnist'] as const) {
    for (const parameter of ['lambda', 'beta'] as const) {
      const text = `{ "name": "t", "data": { "kind": "${kind}" }, "model": { "kind": "vae" }, "sweep": { "parameter": "${parameter}", "from": 0.1, "to": 1 } }`;
      checkDefaults(text, new Set(['name', 'data.kind', 'model.kind', 'sweep.parameter', 'sweep.from', 'sweep.to']), kind, `vae/${kind}/${parameter}`);
    }
  }
});
