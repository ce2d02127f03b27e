// A located problem in an experiment file, shaped for both the CLI (`file:line:col: message`)
// and editors (offset/length map straight onto a VS Code Diagnostic range).

export type Severity = 'error' | 'warning';

/**
 * Who found it: JSON syntax, the JSON layer (duplicate keys, non-finite numbers), the schema,
 * or the engine's cross-field checks. Editors that validate against the schema themselves show
 * only the engine's own.
 */
export type ProblemSource = 'syntax' | 'json' | 'schema' | 'semantic';

export interface ConfigProblem {
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based, in UTF-16 code units (what editors count). */
  column: number;
  endLine: number;
  endColumn: number;
  offset: number;
  length: number;
  message: string;
  severity: Severity;
  source: ProblemSource;
}

/** A problem before it is placed in a file: a character range and what is wrong there. */
export interface Finding {
  offset: number;
  length: number;
  message: string;
  severity: Severity;
}

export function formatProblem(p: ConfigProblem): string {
  const tag = p.severity === 'warning' ? 'warning: ' : '';
  return `${p.file}:${p.line}:${p.column}: ${tag}${p.message}`;
}

/** Turns offsets into 1-based line/column positions for one text. */
export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(private readonly text: string) {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      // \r\n counts as one break; a lone \r (old Mac) as one too, as editors do.
      if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) this.starts.push(i + 1);
    }
  }

  position(offset: number): { line: number; column: number } {
    const at = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= at) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: at - this.starts[lo] + 1 };
  }

  place(file: string, f: Finding, source: ProblemSource): ConfigProblem {
    const start = this.position(f.offset);
    const end = this.position(f.offset + f.length);
    return {
      file,
      line: start.line,
      column: start.column,
      endLine: end.line,
      endColumn: end.column,
      offset: f.offset,
      length: f.length,
      message: f.message,
      severity: f.severity,
      source,
    };
  }
}

/** Errors first within a position, then by message, so output is deterministic. */
export function compareProblems(a: ConfigProblem, b: ConfigProblem): number {
  return a.offset - b.offset || (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1) || a.message.localeCompare(b.message);
}
