// One pass over the tokens of a config before it is parsed: whether it holds anything but
// comments, and whether it nests deeper than any experiment does. jsonc-parser's tree builder
// (and everything that walks the tree) recurses once per level, so 200 000 nested arrays
// overflow the stack; the scanner is a loop and does not.

import { createScanner } from 'jsonc-parser';
import type { Finding } from './problems';

/** An experiment nests 4 levels (analysis.hessian.…); this leaves room for anything sensible. */
export const MAX_DEPTH = 64;

/** jsonc-parser's SyntaxKind values (a const enum, which isolated modules cannot read). */
const SyntaxKind = {
  OpenBraceToken: 1,
  CloseBraceToken: 2,
  OpenBracketToken: 3,
  CloseBracketToken: 4,
  LineCommentTrivia: 12,
  BlockCommentTrivia: 13,
  LineBreakTrivia: 14,
  Trivia: 15,
  EOF: 17,
} as const;
/** jsonc-parser's ScanError.None (the same const enum). */
const NO_SCAN_ERROR = 0;

export interface Structure {
  /** Nothing but whitespace and complete comments. */
  empty: boolean;
  /** Where the nesting first exceeds MAX_DEPTH. */
  tooDeep?: Finding;
}

export function scanStructure(text: string): Structure {
  const scanner = createScanner(text, false);
  let empty = true;
  let depth = 0;
  for (let kind: number = scanner.scan(); kind !== SyntaxKind.EOF; kind = scanner.scan()) {
    switch (kind) {
      case SyntaxKind.Trivia:
      case SyntaxKind.LineBreakTrivia:
      case SyntaxKind.LineCommentTrivia:
        continue;
      case SyntaxKind.BlockCommentTrivia: {
        // An unterminated /* … runs to the end of the file: a syntax error, not an empty file.
        const error: number = scanner.getTokenError();
        if (error !== NO_SCAN_ERROR) empty = false;
        continue;
      }
      case SyntaxKind.OpenBraceToken:
      case SyntaxKind.OpenBracketToken:
        empty = false;
        if (++depth > MAX_DEPTH) {
          const message = `the file nests objects and arrays more than ${MAX_DEPTH} levels deep here: an experiment needs 4; remove the extra brackets`;
          return { empty, tooDeep: { offset: scanner.getTokenOffset(), length: 1, message: `syntax error: ${message}`, severity: 'error' } };
        }
        continue;
      case SyntaxKind.CloseBraceToken:
      case SyntaxKind.CloseBracketToken:
        empty = false;
        depth = Math.max(0, depth - 1);
        continue;
      default:
        empty = false;
    }
  }
  return { empty };
}
