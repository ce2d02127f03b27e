import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { webviewPage } from './page';

/** The page around a view's bundle: the shared strict CSP, nothing from the network. */
export function webviewHtml(webview: vscode.Webview, extensionUri: vscode.Uri, view: 'sweep' | 'spectrum', title: string): string {
  const media = (name: string) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', `${name}.css`)).toString();
  return webviewPage({
    nonce: randomBytes(16).toString('base64'),
    cspSource: webview.cspSource,
    styles: [media('base'), media(view)],
    script: webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview', `${view}.js`)).toString(),
    title,
  });
}

/** What a view may load: the bundles and the stylesheets. */
export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'webview'), vscode.Uri.joinPath(extensionUri, 'media')] };
}
