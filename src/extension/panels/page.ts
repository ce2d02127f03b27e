/** The SHA-256 of the empty string: FAST (under the toolkit) probes :focus-visible with an empty <style>. */
const EMPTY_STYLE_HASH = "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='";

/**
 * The Content-Security-Policy of both webviews, shared by the host and the browser tests so the
 * tests run under exactly the production policy. Scripts only with the page's nonce; styles only
 * from `source` (the extension's files) plus that one empty <style> (chart.js sizes canvases and
 * the toolkit styles itself through the CSSOM, which CSP does not govern); no images, fonts,
 * connections or frames; trusted types limited to FAST's own policy (our code sets text only).
 */
export function contentSecurityPolicy(nonce: string, source: string): string {
  return [
    `default-src 'none'`,
    `script-src 'nonce-${nonce}'`,
    `style-src ${source} ${EMPTY_STYLE_HASH}`,
    `base-uri 'none'`,
    `form-action 'none'`,
    `require-trusted-types-for 'script'`,
    `trusted-types fast-html`,
  ].join('; ');
}

export interface PageParts {
  nonce: string;
  /** Where styles may come from: webview.cspSource in VS Code. */
  cspSource: string;
  /** URLs of base.css and the view's stylesheet, and of its bundle. */
  styles: string[];
  script: string;
  title: string;
  /** Inline script run before the bundle (the browser tests' stand-in for acquireVsCodeApi). */
  prelude?: string;
}

/** The page around a view's bundle, shared by the host and the browser tests. */
export function webviewPage(p: PageParts): string {
  const prelude = p.prelude ? `<script nonce="${p.nonce}">${p.prelude}</script>\n` : '';
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(p.nonce, p.cspSource)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
${p.styles.map((href) => `<link href="${href}" rel="stylesheet">`).join('\n')}
<title>${p.title.replace(/[<>&"]/g, '')}</title>
</head>
<body>${prelude}<div id="root"></div><script nonce="${p.nonce}" src="${p.script}"></script></body>
</html>`;
}
