// Validate against l2exp.schema.json with Ajv and turn its errors into located, readable
// findings: one message per mistake, at the exact key or value it concerns.

import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import { findNodeAtLocation, type JSONPath, type Node } from 'jsonc-parser';
import { describeValue, keyNode, locate, pathToString, sourceOf } from './json-tree';
import type { Finding } from './problems';
import { experimentSchema, schemaSections, type SchemaNode } from './schema';
import { didYouMean, nearest } from './suggest';

let compiled: ValidateFunction | undefined;

/** Compiled on first use: most imports of this module (e.g. the webview bundle) never validate. */
function validator(): ValidateFunction {
  // verbose: errors carry the failing (parent) schema and data, which the messages need.
  compiled ??= new Ajv({ allErrors: true, strict: false, verbose: true }).compile(experimentSchema);
  return compiled;
}

/** Ajv's JSON pointer → a jsonc-parser path (numbers for array indices, read off the value). */
function toPath(pointer: string, value: unknown): JSONPath {
  const path: JSONPath = [];
  let cur = value;
  for (const raw of pointer.split('/').slice(1)) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    const index = Array.isArray(cur) ? Number(seg) : undefined;
    path.push(index ?? seg);
    cur = cur !== null && typeof cur === 'object' ? (cur as Record<string, unknown>)[seg] : undefined;
  }
  return path;
}

/**
 * An Ajv error as the messages read it: Ajv types `params` as Record<string, any> and
 * `parentSchema` as any object; here they are what Ajv documents for the keywords we report
 * (verbose mode: `schema`, `parentSchema` and `data` are set).
 */
interface SchemaError {
  keyword: string;
  instancePath: string;
  schemaPath: string;
  message?: string;
  data?: unknown;
  /** The keyword's value in the schema (for oneOf/anyOf, the branches). */
  schema?: unknown;
  parentSchema?: SchemaNode;
  params: {
    additionalProperty?: string;
    missingProperty?: string;
    /** The expected types, comma-separated. */
    type?: string;
    allowedValues?: unknown[];
    allowedValue?: unknown;
    limit?: number;
    pattern?: string;
    /** uniqueItems: the indices of two equal items. */
    i?: number;
    j?: number;
  };
}

/** Ajv's error, typed as above (its schema objects are ours: the parent is a SchemaNode). */
function schemaError(e: ErrorObject): SchemaError {
  return { ...e, parentSchema: e.parentSchema as SchemaNode | undefined };
}

const quote = (v: unknown) => JSON.stringify(v);

/** How a oneOf branch is named in messages: its title, else its const. */
function branchName(s: SchemaNode): string {
  return s.title ?? (s.const !== undefined ? quote(s.const) : String(s.type ?? 'something'));
}

function jsonType(node: Node | undefined): string | undefined {
  return node?.type === 'property' ? undefined : node?.type;
}

interface Context {
  root: Node;
  text: string;
  value: unknown;
  /** Nodes already reported (non-finite numbers): the schema has nothing to add about them. */
  skip: ReadonlySet<Node>;
}

/**
 * Ajv reports a failed `oneOf` as one error per branch plus the oneOf itself. When the value is an
 * array/object matching exactly one branch's type, that branch's errors are the real story; else
 * the value is simply the wrong thing, and one message naming the alternatives says so.
 */
function collapseOneOf(errors: SchemaError[], ctx: Context): { kept: SchemaError[]; findings: Finding[] } {
  const consumed = new Set<SchemaError>();
  const extra: SchemaError[] = [];
  const findings: Finding[] = [];
  for (const e of errors) {
    if (e.keyword !== 'oneOf' && e.keyword !== 'anyOf') continue;
    const prefix = `${e.schemaPath}/`;
    const subs = errors.filter((s) => s.schemaPath.startsWith(prefix));
    consumed.add(e);
    subs.forEach((s) => consumed.add(s));
    const branches = (e.schema as SchemaNode[] | undefined) ?? [];
    const path = toPath(e.instancePath, ctx.value);
    const node = findNodeAtLocation(ctx.root, path);
    if (node && ctx.skip.has(node)) continue;
    const type = jsonType(node);
    const matching = branches.map((b, i) => (b.type === type ? i : -1)).filter((i) => i >= 0);
    if ((type === 'array' || type === 'object') && matching.length === 1) {
      extra.push(...subs.filter((s) => s.schemaPath.startsWith(`${prefix}${matching[0]}/`)));
      continue;
    }
    const consts = branches.filter((b) => typeof b.const === 'string').map((b) => b.const as string);
    const hint = typeof e.data === 'string' ? didYouMean(e.data, consts) : '';
    const expected = branches.map(branchName).join(' or ');
    findings.push({
      ...locate(ctx.root, path),
      message: `${pathToString(path)}: expected ${expected}, got ${describeValue(node, ctx.text)}${hint}`,
      severity: 'error',
    });
  }
  return { kept: [...errors.filter((e) => !consumed.has(e)), ...extra], findings };
}

/** For a key unknown here but known elsewhere ("learningRate" in model): where it belongs. */
function homeOf(key: string, here: string): string | undefined {
  for (const [section, node] of schemaSections()) {
    if (section !== here && node.properties && key in node.properties) return section || 'the top level';
  }
  return undefined;
}

function unknownKey(e: SchemaError, path: JSONPath, ctx: Context): Finding {
  const key = String(e.params.additionalProperty);
  const known = Object.keys(e.parentSchema?.properties ?? {});
  const where = path.length ? `in ${pathToString(path)}` : 'at the top level';
  const guess = nearest(key, known);
  const home = guess === undefined ? homeOf(key, path.join('.')) : undefined;
  const advice = guess !== undefined ? ` (did you mean "${guess}"?)` : home !== undefined ? `: it belongs in ${home}` : `; known keys: ${known.join(', ')}`;
  const k = keyNode(findNodeAtLocation(ctx.root, path) ?? (path.length ? undefined : ctx.root), key);
  const range = k ? { offset: k.offset, length: k.length } : locate(ctx.root, path);
  return { ...range, message: `unknown key "${key}" ${where}${advice}`, severity: 'error' };
}

function message(e: SchemaError, path: JSONPath, node: Node | undefined, ctx: Context): string {
  const p = pathToString(path);
  const got = sourceOf(node, ctx.text);
  const limit = e.params.limit;
  switch (e.keyword) {
    case 'type': {
      const expected = String(e.params.type).split(',').join(' or ');
      if (path.length === 0) return `an experiment file holds one JSON object { … }, got ${describeValue(node, ctx.text)}`;
      return `${p}: expected ${expected}, got ${describeValue(node, ctx.text)}`;
    }
    case 'required': {
      const where = path.length ? `in ${p}` : 'at the top level';
      return `missing required key "${e.params.missingProperty}" ${where}`;
    }
    case 'enum':
    case 'const': {
      const allowed = e.keyword === 'enum' ? (e.params.allowedValues ?? []) : [e.params.allowedValue];
      const strings = allowed.filter((a): a is string => typeof a === 'string');
      const hint = typeof e.data === 'string' ? didYouMean(e.data, strings) : '';
      return `${p}: ${got} is not allowed${hint}; use one of ${allowed.map(quote).join(', ')}`;
    }
    case 'minimum':
      return `${p} must be at least ${limit}, got ${got}`;
    case 'maximum':
      return `${p} must be at most ${limit}, got ${got}`;
    case 'exclusiveMinimum':
      return `${p} must be greater than ${limit}, got ${got}`;
    case 'exclusiveMaximum':
      return `${p} must be less than ${limit}, got ${got}`;
    case 'minItems':
      return `${p} must have at least ${limit} item${limit === 1 ? '' : 's'}`;
    case 'maxItems':
      return `${p} must have at most ${limit} items`;
    case 'minLength':
      return limit === 1 ? `${p} must not be empty` : `${p} must be at least ${limit} characters long`;
    case 'maxLength':
      return `${p} is too long (at most ${limit} characters)`;
    case 'pattern': {
      const why = e.parentSchema?.patternErrorMessage ?? `it must match ${e.params.pattern}`;
      return `${p}: ${got} is not allowed: ${why.charAt(0).toLowerCase()}${why.slice(1)}`;
    }
    case 'uniqueItems': {
      const [first, later] = [e.params.i ?? 0, e.params.j ?? 0].sort((a, b) => a - b);
      const dup = sourceOf(findNodeAtLocation(ctx.root, [...path, later]), ctx.text);
      return `${p}: ${dup} appears twice (items ${first} and ${later}); remove the duplicate`;
    }
    default:
      return `${p}: ${e.message ?? 'is invalid'}`;
  }
}

/** Schema findings for a parsed file; errors on the `skip` nodes (already reported) are dropped. */
export function schemaFindings(root: Node, text: string, value: unknown, skip: ReadonlySet<Node>): Finding[] {
  const validate = validator();
  if (validate(value)) return [];
  const ctx: Context = { root, text, value, skip };
  const errors = (validate.errors ?? []).map(schemaError);
  const { kept, findings } = collapseOneOf(errors, ctx);
  // A value of the wrong type also fails its enum/range checks: the type error says it all.
  // Likewise an empty string fails its pattern: "must not be empty" is the clearer message.
  const failed = (keyword: string) => new Set(kept.filter((e) => e.keyword === keyword).map((e) => e.instancePath));
  const [typeWrong, empty] = [failed('type'), failed('minLength')];
  for (const e of kept) {
    if (e.keyword !== 'type' && typeWrong.has(e.instancePath)) continue;
    if (e.keyword === 'pattern' && empty.has(e.instancePath)) continue;
    const path = toPath(e.instancePath, value);
    const node = path.length ? findNodeAtLocation(root, path) : root;
    if (node && skip.has(node)) continue;
    if (e.keyword === 'additionalProperties') {
      findings.push(unknownKey(e, path, ctx));
    } else if (e.keyword === 'uniqueItems') {
      const later = Math.max(e.params.i ?? 0, e.params.j ?? 0);
      findings.push({ ...locate(root, [...path, later]), message: message(e, path, node, ctx), severity: 'error' });
    } else {
      findings.push({ ...locate(root, path), message: message(e, path, node, ctx), severity: 'error' });
    }
  }
  return findings;
}
