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
