// Small helpers over jsonc-parser's syntax tree: where a setting is written, and how to name it
// and its value in a message.

import { findNodeAtLocation, type JSONPath, type Node } from 'jsonc-parser';

export interface Range {
  offset: number;
  length: number;
}

/** `["model", "hidden", 0]` → `model.hidden[0]`. */
export function pathToString(path: JSONPath): string {
  let out = '';
  for (const seg of path) out += typeof seg === 'number' ? `[${seg}]` : out ? `.${seg}` : seg;
  return out || 'the experiment';
}

/** The property node (key + value) whose value is `node`, if `node` sits in an object. */
function propertyOf(node: Node): Node | undefined {
  return node.parent?.type === 'property' ? node.parent : undefined;
}

/**
 * Where to underline the setting at `path`. Scalars underline their value; objects and arrays
 * their key (a multi-line underline helps nobody); the root object its opening brace. A setting
 * that isn't written (a default) falls back to the nearest written ancestor.
 */
export function locate(root: Node, path: JSONPath): Range {
  for (let depth = path.length; depth >= 0; depth--) {
    const node = depth === 0 ? root : findNodeAtLocation(root, path.slice(0, depth));
    if (!node) continue;
    if (node.type !== 'object' && node.type !== 'array') return { offset: node.offset, length: node.length };
    const key = propertyOf(node)?.children?.[0];
    if (key) return { offset: key.offset, length: key.length };
    return { offset: node.offset, length: 1 };
  }
  return { offset: 0, length: 0 };
}

/** The key node of property `key` directly in object `obj` (the last one if written twice). */
export function keyNode(obj: Node | undefined, key: string): Node | undefined {
  let found: Node | undefined;
  for (const prop of obj?.type === 'object' ? (obj.children ?? []) : []) {
    const k = prop.children?.[0];
    if (k?.value === key) found = k;
  }
  return found;
}

/** `string "abc"`, `number 1.5`, `an array`, … as written in the file (clipped). */
export function describeValue(node: Node | undefined, text: string): string {
  if (!node) return 'nothing';
  switch (node.type) {
    case 'object':
      return 'an object';
    case 'array':
      return 'an array';
    case 'null':
      return 'null';
    default: {
      let src = text.slice(node.offset, node.offset + node.length);
      if (src.length > 40) src = `${src.slice(0, 37)}…`;
      return `${node.type} ${src}`;
    }
  }
}

/** The source text of a scalar node, e.g. `1e-3` exactly as the user wrote it. */
export function sourceOf(node: Node | undefined, text: string): string {
  return node ? text.slice(node.offset, node.offset + node.length) : '';
}

/** Every number literal whose value overflowed to ±Infinity (e.g. 1e400): JSON has no way to say it. */
export function nonFiniteNumbers(root: Node): Node[] {
  const out: Node[] = [];
  const walk = (n: Node) => {
    if (n.type === 'number' && !Number.isFinite(n.value)) out.push(n);
    n.children?.forEach(walk);
  };
  walk(root);
  return out;
}

/** Keys written twice in one object: [first, later] key nodes. */
export function duplicateKeys(root: Node): Array<[Node, Node]> {
  const out: Array<[Node, Node]> = [];
  const walk = (n: Node) => {
    if (n.type === 'object') {
      const seen = new Map<string, Node>();
      for (const prop of n.children ?? []) {
        const k = prop.children?.[0];
        if (!k) continue;
        const name = String(k.value); // a key node's value is its (string) name
        const first = seen.get(name);
        if (first) out.push([first, k]);
        else seen.set(name, k);
      }
    }
    n.children?.forEach(walk);
  };
  walk(root);
  return out;
}
