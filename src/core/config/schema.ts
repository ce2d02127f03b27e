// Typed access to l2exp.schema.json, the single source of truth for the file format.

import schemaJson from './l2exp.schema.json';
import type { DataKind, ModelKind, SweepParameter } from './types';

/** The parts of JSON Schema (plus our annotations) that this code reads. */
export interface SchemaNode {
  type?: string | string[];
  title?: string;
  description?: string;
  markdownDescription?: string;
  properties?: Record<string, SchemaNode>;
  additionalProperties?: boolean;
  required?: string[];
  items?: SchemaNode;
  oneOf?: SchemaNode[];
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  patternErrorMessage?: string;
  /** A different default when another setting (a dotted path) has a given value. */
  'x-defaultBy'?: Record<string, Record<string, unknown>>;
  /** csv data sets take this default from the file. */
  'x-csvFromFile'?: boolean;
  /** The data kinds this data field applies to. */
  'x-kinds'?: DataKind[];
  /** The sweep parameters this field applies to. */
  'x-parameters'?: SweepParameter[];
  /** The model kinds this model or train field applies to. */
  'x-models'?: ModelKind[];
}

export const experimentSchema = schemaJson as unknown as SchemaNode;

/** Every object section of the schema, by dotted path ('' is the top level). */
export function schemaSections(): Map<string, SchemaNode> {
  const out = new Map<string, SchemaNode>();
  const walk = (node: SchemaNode, path: string) => {
    if (!node.properties) return;
    out.set(path, node);
    for (const [key, child] of Object.entries(node.properties)) walk(child, path ? `${path}.${key}` : key);
  };
  walk(experimentSchema, '');
  return out;
}

/** Data fields that only some kinds use, with those kinds (from `x-kinds`). */
export function kindSpecificFields(): Record<string, readonly DataKind[]> {
  const out: Record<string, readonly DataKind[]> = {};
  for (const [key, node] of Object.entries(experimentSchema.properties?.data?.properties ?? {})) {
    if (node['x-kinds']) out[key] = node['x-kinds'];
  }
  return out;
}

/** Fields of a section that only some model kinds use (from `x-models`), with those kinds. */
export function modelSpecificFields(section: 'model' | 'train' | 'analysis'): Record<string, readonly ModelKind[]> {
  const out: Record<string, readonly ModelKind[]> = {};
  for (const [key, node] of Object.entries(experimentSchema.properties?.[section]?.properties ?? {})) {
    if (node['x-models']) out[key] = node['x-models'];
  }
  return out;
}
