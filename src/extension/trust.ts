// Workspace trust, checked in code: VS Code applies a command's `enablement` to menus and the
// palette, but not to CodeLens clicks, keybindings or executeCommand calls, so every action
// that runs the engine, starts the CLI or reads data or results asks here first.
import * as vscode from 'vscode';

const MANAGE = 'Manage Workspace Trust';

/**
 * Whether the workspace is trusted. When it is not, says that `what` needs trust, offering to
 * manage it, and the caller does nothing else.
 */
export function requireTrust(what: string): boolean {
  if (vscode.workspace.isTrusted) return true;
  void vscode.window
    .showWarningMessage(`${what} needs a trusted workspace: this one is in Restricted Mode, where L2 Landscape only validates and documents experiment files.`, MANAGE)
    .then((a) => a === MANAGE && vscode.commands.executeCommand('workbench.trust.manage'));
  return false;
}
