import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';

/**
 * The page around a view's bundle: strict Content-Security-Policy, nothing from the network.
 * Scripts only with this page's nonce; styles only from the extension, plus the one empty
 * <style> the toolkit's FAST base inserts to probe :focus-visible (the hash is that of the
 * empty string, so nothing with content passes); trusted types limited to FAST's policy.
 */
export function webviewHtml(webview: vscode.Webview, extensionUri: vscode.Uri, view: 'sweep' | 'spectrum', title: string): string {
  const nonce = randomBytes(16).toString('base64');
  const script = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview', `${view}.js`));
  const style = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', `${view}.css`));
  const csp = [
    `default-src 'none'`,
    `script-src 'nonce-${nonce}'`,
    `style-src ${webview.cspSource} 'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='`,
    `base-uri 'none'`,
    `form-action 'none'`,
    `require-trusted-types-for 'script'`,
    `trusted-types fast-html`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link href="${style}" rel="stylesheet">
<title>${title.replace(/[<>&"]/g, '')}</title>
</head>
<body><div id="root"></div><script nonce="${nonce}" src="${script}"></script></body>
</html>`;
}

/** What a view may load: the bundles and the stylesheets. */
export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'webview'), vscode.Uri.joinPath(extensionUri, 'media')] };
}
