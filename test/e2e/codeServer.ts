// Starts a real VS Code (code-server 4.100.3 = VS Code 1.100.3 on Node 20) for end-to-end tests.
// code-server is installed by scripts/e2e-setup.sh into a cache directory outside the repo,
// from the npm registry only; this module never installs anything and never skips: a missing
// install is an error.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { processTable } from '../processTable';

export const CODE_SERVER_VERSION = '4.100.3';

/** Where scripts/e2e-setup.sh installs code-server (same rule as the script). */
export function codeServerDir(): string {
  const cache = process.env.L2_E2E_CACHE || join(homedir(), '.cache', 'l2-landscape-e2e');
  return join(cache, `code-server-${CODE_SERVER_VERSION}`);
}

export interface StartOptions {
  /** The folder to open as the workspace. */
  folder: string;
  /** A packaged extension (.vsix) to install into the fresh extensions dir before starting. */
  vsix?: string;
  /** User settings merged over the defaults below (which keep the workbench quiet and offline). */
  settings?: Record<string, unknown>;
  /** How long to wait for the server to answer HTTP (default 60 s). */
  startTimeoutMs?: number;
  /**
   * false: workspace trust on and the folder opened untrusted (Restricted Mode, no startup
   * prompt). Default true: trust off, so every folder is trusted.
   */
  trusted?: boolean;
  /** User keybindings (keybindings.json entries), e.g. to call a command the way executeCommand does. */
  keybindings?: { key: string; command: string; args?: unknown; when?: string }[];
}

/** The settings that open a folder untrusted: trust on, no prompt asking to trust it. */
export const UNTRUSTED_SETTINGS: Record<string, unknown> = {
  'security.workspace.trust.enabled': true,
  'security.workspace.trust.startupPrompt': 'never',
  'security.workspace.trust.emptyWindow': false,
};

export interface CodeServer {
  /** The workbench URL, with the folder open. */
  url: string;
  /** Kills the server and every process it started, then removes the temp dirs. Idempotent. */
  stop(): Promise<void>;
  userDataDir: string;
  extensionsDir: string;
  /** Everything code-server (and the vsix install) printed so far. */
  logs(): string;
}

/**
 * Settings that make a fresh profile behave in a test: no trust dialog, no welcome page, no
 * update, telemetry or gallery traffic (the machine has no internet), no restored windows.
 */
export const DEFAULT_SETTINGS: Record<string, unknown> = {
  'security.workspace.trust.enabled': false,
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.settings.enableNaturalLanguageSearch': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'npm.fetchOnlinePackageInfo': false,
  'json.schemaDownload.enable': false,
  'typescript.surveys.enabled': false,
  'chat.commandCenter.enabled': false,
  // The examples live inside this repo's git checkout, which other people use at the same time:
  // the git extension would prompt about it and refresh its index (taking index.lock).
  'git.enabled': false,
  'git.openRepositoryInParentFolders': 'never',
  'window.restoreWindows': 'none',
  'files.hotExit': 'off',
  'editor.hover.delay': 300,
};

/** Environment variables that would make code-server talk to another instance or port. */
function childEnv(xdgDataHome: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    // VSCODE_* (e.g. VSCODE_IPC_HOOK_CLI inside a VS Code terminal) makes code-server hand the
    // request to that VS Code; PORT overrides --bind-addr; passwords and tokens are not ours;
    // NODE_OPTIONS (tsx's loader) and NODE_TEST_CONTEXT (node --test) are the test's, not its.
    if (/^(VSCODE_|ELECTRON_|NODE_TEST_)/.test(k)) continue;
    if (['PORT', 'PASSWORD', 'HASHED_PASSWORD', 'GITHUB_TOKEN', 'NODE_OPTIONS'].includes(k)) continue;
    env[k] = v;
  }
  // code-server writes its own logs (coder-logs/) under $XDG_DATA_HOME/code-server.
  env.XDG_DATA_HOME = xdgDataHome;
  return env;
}

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      if (addr === null || typeof addr === 'string') {
        srv.close();
        reject(new Error('could not get a free port'));
        return;
      }
      srv.close(() => resolvePort(addr.port));
    });
  });
}

/** Pids of every descendant of `pid` (Linux /proc; empty elsewhere). */
function descendants(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const p of processTable()) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p.pid]);
  const out: number[] = [];
  const stack = [pid];
  while (stack.length > 0) {
    for (const c of children.get(stack.pop()!) ?? []) {
      out.push(c);
      stack.push(c);
    }
  }
  return out;
}

function killTree(pid: number, signal: NodeJS.Signals): void {
  const pids = descendants(pid);
  try {
    process.kill(-pid, signal); // the process group (the server is started detached)
  } catch {
    // already gone
  }
  for (const p of [pid, ...pids]) {
    try {
      process.kill(p, signal);
    } catch {
      // already gone
    }
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

function extensionDirs(extensionsDir: string): string[] {
  return existsSync(extensionsDir) ? readdirSync(extensionsDir).filter((e) => !e.startsWith('.') && e !== 'extensions.json') : [];
}

/**
 * Starts code-server on a free port of 127.0.0.1 with fresh user-data and extensions dirs,
 * workspace trust off (or the folder untrusted, with `trusted: false`), `folder` open and, if given, `vsix` installed first. Resolves once the
 * server answers HTTP. Throws (with code-server's output) when anything goes wrong.
 */
export async function startCodeServer(options: StartOptions): Promise<CodeServer> {
  const dir = codeServerDir();
  const entry = join(dir, 'out', 'node', 'entry.js');
  if (!existsSync(entry)) {
    throw new Error(`code-server ${CODE_SERVER_VERSION} is not installed at ${dir}: run scripts/e2e-setup.sh first`);
  }
  const folder = resolve(options.folder);
  if (!existsSync(folder)) throw new Error(`startCodeServer: folder ${folder} does not exist`);
  const vsix = options.vsix === undefined ? undefined : isAbsolute(options.vsix) ? options.vsix : resolve(options.vsix);
  if (vsix !== undefined && !existsSync(vsix)) throw new Error(`startCodeServer: vsix ${vsix} does not exist`);

  const root = mkdtempSync(join(tmpdir(), 'l2-e2e-code-server-'));
  const userDataDir = join(root, 'user-data');
  const extensionsDir = join(root, 'extensions');
  const configFile = join(root, 'config.yaml');
  const xdgDataHome = join(root, 'xdg-data');
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  mkdirSync(extensionsDir, { recursive: true });
  mkdirSync(xdgDataHome, { recursive: true });
  // An explicit config file keeps code-server from writing ~/.config/code-server/config.yaml.
  writeFileSync(configFile, 'auth: none\ncert: false\n');
  const trusted = options.trusted ?? true;
  writeFileSync(join(userDataDir, 'User', 'settings.json'), JSON.stringify({ ...DEFAULT_SETTINGS, ...(trusted ? {} : UNTRUSTED_SETTINGS), ...options.settings }, null, 2));
  if (options.keybindings) writeFileSync(join(userDataDir, 'User', 'keybindings.json'), JSON.stringify(options.keybindings, null, 2));

  const env = childEnv(xdgDataHome);
  const common = ['--config', configFile, '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir];
  let output = '';
  const removeRoot = () => {
    try {
      rmSync(root, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
    } catch {
      // best effort
    }
  };

  if (vsix !== undefined) {
    const before = new Set(extensionDirs(extensionsDir));
    const r = spawnSync(process.execPath, [entry, ...common, '--force', '--install-extension', vsix], {
      cwd: dir,
      env,
      encoding: 'utf8',
      timeout: 120_000,
    });
    output += `$ code-server --install-extension ${vsix}\n${r.stdout ?? ''}${r.stderr ?? ''}\n`;
    const added = extensionDirs(extensionsDir).filter((e) => !before.has(e));
    if (r.error !== undefined || r.status !== 0 || added.length === 0) {
      removeRoot();
      const why = r.error !== undefined ? String(r.error) : r.status !== 0 ? `exit code ${r.status} (signal ${r.signal})` : 'no extension directory appeared';
      throw new Error(`installing ${vsix} into code-server failed: ${why}\n${output}`);
    }
    output += `installed into ${extensionsDir}: ${added.join(', ')}\n`;
  }

  const timeoutMs = options.startTimeoutMs ?? 60_000;
  let child: ChildProcess | undefined;
  let port = 0;
  // A free port can be taken between freePort() and code-server's bind: try a few.
  for (let attempt = 1; attempt <= 3 && child === undefined; attempt++) {
    port = await freePort();
    const args = [
      entry,
      ...common,
      '--auth',
      'none',
      '--bind-addr',
      `127.0.0.1:${port}`,
      '--disable-telemetry',
      '--disable-update-check',
      // Without it code-server honours security.workspace.trust.* (UNTRUSTED_SETTINGS).
      ...(trusted ? ['--disable-workspace-trust'] : []),
      '--disable-getting-started-override',
      folder,
    ];
    output += `$ code-server --bind-addr 127.0.0.1:${port} ${folder}\n`;
    const proc = spawn(process.execPath, args, { cwd: dir, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    proc.stdout.setEncoding('utf8').on('data', (d: string) => (output += d));
    proc.stderr.setEncoding('utf8').on('data', (d: string) => (output += d));
    let exited: string | undefined;
    proc.on('exit', (code, signal) => (exited = `exited with code ${code}, signal ${signal}`));
    proc.on('error', (err) => (exited = `could not start: ${err.message}`));

    const deadline = Date.now() + timeoutMs;
    let up = false;
    while (exited === undefined && Date.now() < deadline) {
      try {
        const res = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(2000) });
        await res.arrayBuffer();
        if (res.ok) {
          up = true;
          break;
        }
      } catch {
        // not listening yet
      }
      await sleep(100);
    }
    if (up) {
      child = proc;
      break;
    }
    if (proc.pid !== undefined) killTree(proc.pid, 'SIGKILL');
    if (exited !== undefined && /EADDRINUSE/.test(output) && attempt < 3) continue;
    removeRoot();
    throw new Error(`code-server did not answer HTTP on 127.0.0.1:${port} ` + (exited !== undefined ? `(${exited})` : `within ${timeoutMs} ms`) + `\n--- code-server output ---\n${output}`);
  }
  if (child === undefined || child.pid === undefined) {
    removeRoot();
    throw new Error(`code-server could not bind a free port\n${output}`);
  }

  const pid = child.pid;
  // The server runs in its own process group, so a Ctrl+C or a kill of the test process would
  // not reach it: take it down on the way out, then let the signal do what it would have done.
  const onExit = () => killTree(pid, 'SIGKILL');
  const onSignal = (signal: NodeJS.Signals) => {
    unhook();
    killTree(pid, 'SIGKILL');
    removeRoot();
    process.kill(process.pid, signal);
  };
  const unhook = () => {
    process.off('exit', onExit);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
  process.on('exit', onExit);
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  let stopped: Promise<void> | undefined;

  const stop = (): Promise<void> => {
    stopped ??= (async () => {
      unhook();
      const tree = [pid, ...descendants(pid)];
      killTree(pid, 'SIGTERM');
      const deadline = Date.now() + 5000;
      while (tree.some(alive) && Date.now() < deadline) await sleep(50);
      for (const p of tree) if (alive(p)) killTree(p, 'SIGKILL');
      removeRoot();
    })();
    return stopped;
  };

  return {
    url: `http://127.0.0.1:${port}/?folder=${encodeURIComponent(folder)}`,
    stop,
    userDataDir,
    extensionsDir,
    logs: () => output,
  };
}
