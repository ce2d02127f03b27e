// points.jsonl, one finished point per line, each line self-checking: the record's JSON with a
// last field "sum", the first 8 hex digits of SHA-256 over the JSON without it. A line that
// does not parse or whose sum disagrees (a torn write, a flipped byte, an editor's accident) is
// found wherever it is, reported, and only that line is set aside; the lines after it stand.

import { createHash } from 'node:crypto';
import type { PointRecord } from '../sweep/point';

const SUM = /,"sum":"([0-9a-f]{8})"\}$/;

function digest(json: string): string {
  return createHash('sha256').update(json).digest('hex').slice(0, 8);
}

/** The line of points.jsonl that holds `record`, newline included. */
export function frameRecord(record: PointRecord): string {
  const json = JSON.stringify(record);
  return `${json.slice(0, -1)},"sum":"${digest(json)}"}\n`;
}

/** A line that was set aside: where, why, and the point it seems to hold (to retrain it). */
export interface DamagedLine {
  line: number;
  reason: string;
  id: string | null;
}

export interface ParsedLog {
  points: PointRecord[];
  damaged: DamagedLine[];
  /** A last line without its newline: a write cut short by a kill (dropped, not "damaged"). */
  tornTail: boolean;
  /** Records whose id came earlier in the file too (two writers once shared a folder). */
  duplicates: number;
}

/** Parses one line: the record, or why it is not one. Lines without a sum (older folders) are taken if they parse. */
function parseLine(line: string): PointRecord | string {
  const m = SUM.exec(line);
  const json = m ? `${line.slice(0, m.index)}}` : line;
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return 'not valid JSON';
  }
  if (m && digest(json) !== m[1]) return 'its checksum does not match its content';
  const id = (value as { id?: unknown } | null)?.id;
  if (typeof value !== 'object' || value === null || typeof id !== 'string') return 'not a point record';
  const record = value as PointRecord;
  // Records from before sweeps had other axes: their swept value is their λ.
  record.value ??= record.lambda;
  return record;
}

export function parseLog(text: string): ParsedLog {
  const points: PointRecord[] = [];
  const damaged: DamagedLine[] = [];
  const seen = new Set<string>();
  let duplicates = 0;
  const lines = text.split('\n');
  const tornTail = lines[lines.length - 1] !== '';
  lines.pop(); // the text after the last newline: empty, or the torn tail
  lines.forEach((line, i) => {
    if (!line.trim()) return;
    const r = parseLine(line);
    if (typeof r === 'string') damaged.push({ line: i + 1, reason: r, id: /"id":"([^"\\]{1,200})"/.exec(line)?.[1] ?? null });
    else if (seen.has(r.id)) duplicates++;
    else {
      seen.add(r.id);
      points.push(r);
    }
  });
  return { points, damaged, tornTail, duplicates };
}
