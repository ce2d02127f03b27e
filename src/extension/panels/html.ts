import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { contentSecurityPolicy } from './csp';

/** The page around a view's bundle: the shared strict CSP, nothing from the network. */
export function webviewHtml(webview: vscode.Webview, extensionUri: vscode.Uri, view: 'sweep' | 'spectrum', title: string): string {
  const nonce = randomBytes(16).toString('base64');
  const script = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview', `${view}.js`));
  const style = (name: string) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', `${name}.css`));
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(nonce, webview.cspSource)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link href="${style('base')}" rel="stylesheet">
<link href="${style(view)}" rel="stylesheet">
<title>${title.replace(/[<>&"]/g, '')}</title>
</head>
<body><div id="root"></div><script nonce="${nonce}" src="${script}"></script></body>
</html>`;
}

/** What a view may load: the bundles and the stylesheets. */
export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'webview'), vscode.Uri.joinPath(extensionUri, 'media')] };
}
