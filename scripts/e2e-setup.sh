#!/usr/bin/env bash
# Installs what the end-to-end tests (test/e2e/) need, from the npm registry and Debian's
# packages only:
#   - Debian: libkrb5-dev (code-server's kerberos addon), ripgrep (VS Code's search binary,
#     whose npm install script would download it), chromium (driven by playwright-core);
#   - code-server 4.100.3 (VS Code 1.100.3 on Node 20), into a cache directory OUTSIDE the repo:
#       ${L2_E2E_CACHE:-$HOME/.cache/l2-landscape-e2e}/code-server-4.100.3
# Idempotent: does nothing when everything is already there (code-server is checked with
# `node out/node/entry.js --version`). Any failure stops it with a non-zero exit and a message.
# The last line on stdout is the code-server directory.
set -euo pipefail

CODE_SERVER_VERSION=4.100.3
CACHE_ROOT="${L2_E2E_CACHE:-$HOME/.cache/l2-landscape-e2e}"
DEST="$CACHE_ROOT/code-server-$CODE_SERVER_VERSION"
DEB_PACKAGES=(libkrb5-dev ripgrep chromium)

log() { printf 'e2e-setup: %s\n' "$*" >&2; }
die() { printf 'e2e-setup: ERROR: %s\n' "$*" >&2; exit 1; }
trap 'rc=$?; [ $rc -eq 0 ] || printf "e2e-setup: ERROR: failed (exit %s) at line %s: %s\n" "$rc" "$LINENO" "$BASH_COMMAND" >&2' ERR

command -v node >/dev/null || die "node is not on PATH (Node.js >= 20 is required)"
command -v npm >/dev/null || die "npm is not on PATH"

# ---- 1. Debian packages --------------------------------------------------------------------
deb_installed() { [ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null || true)" = "install ok installed" ]; }

missing=()
for p in "${DEB_PACKAGES[@]}"; do deb_installed "$p" || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  command -v apt-get >/dev/null || die "missing Debian packages (${missing[*]}) and no apt-get to install them"
  SUDO=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || die "missing Debian packages (${missing[*]}); run as root or install sudo"
    SUDO=(sudo)
  fi
  log "installing Debian packages: ${missing[*]}"
  "${SUDO[@]}" apt-get update -q >&2 || die "apt-get update failed"
  "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >&2 \
    || die "apt-get install ${missing[*]} failed"
  for p in "${missing[@]}"; do deb_installed "$p" || die "Debian package $p is still not installed"; done
else
  log "Debian packages present: ${DEB_PACKAGES[*]}"
fi
[ -x /usr/bin/chromium ] || die "/usr/bin/chromium is missing although package chromium is installed"
RG="$(command -v rg)" || die "rg (ripgrep) is not on PATH although package ripgrep is installed"

# ---- 2. code-server ------------------------------------------------------------------------
is_installed() {
  # `--version` prints "4.100.3 <commit> with Code 1.100.3", preceded on code-server's first
  # run by an "info  Wrote default config file ..." line: look for the line. The XDG dirs keep
  # that default config (and code-server's logs) in the cache instead of ~/.config, ~/.local.
  local v
  v="$(cd "$1" 2>/dev/null && XDG_CONFIG_HOME="$CACHE_ROOT/.xdg-config" XDG_DATA_HOME="$CACHE_ROOT/.xdg-data" \
    node out/node/entry.js --version 2>/dev/null)" || return 1
  grep -qE "^${CODE_SERVER_VERSION//./\\.} [0-9a-f]+ with Code " <<<"$v"
}

if is_installed "$DEST"; then
  log "code-server $CODE_SERVER_VERSION already installed"
  echo "$DEST"
  exit 0
fi

mkdir -p "$CACHE_ROOT" || die "cannot create $CACHE_ROOT"
# One install at a time per cache (another checkout may be running this script too).
exec 9>"$CACHE_ROOT/.lock" || die "cannot open $CACHE_ROOT/.lock"
if command -v flock >/dev/null; then
  flock 9 || die "cannot lock $CACHE_ROOT/.lock"
  if is_installed "$DEST"; then
    log "code-server $CODE_SERVER_VERSION was installed meanwhile"
    echo "$DEST"
    exit 0
  fi
fi
log "installing code-server $CODE_SERVER_VERSION into $DEST"
STAGE="$(mktemp -d "$CACHE_ROOT/.staging-XXXXXX")" || die "cannot create a staging directory in $CACHE_ROOT"
cleanup() { rm -rf "$STAGE"; }
trap cleanup EXIT

# Build in the staging dir and move into place only once it works, so an interrupted run
# never leaves a half-installed code-server at $DEST. Every step has its own `|| die`: inside a
# `( ... ) || handler`, bash would ignore `set -e`.
NPM_QUIET=(--no-audit --no-fund --loglevel=error)
cd "$STAGE" || die "cannot enter $STAGE"
npm pack --loglevel=error "code-server@$CODE_SERVER_VERSION" >&2 || die "npm pack code-server@$CODE_SERVER_VERSION failed"
tar xzf "code-server-$CODE_SERVER_VERSION.tgz" || die "cannot unpack code-server-$CODE_SERVER_VERSION.tgz"
rm -f "code-server-$CODE_SERVER_VERSION.tgz"
[ -f package/out/node/entry.js ] || die "package/out/node/entry.js is missing from the code-server package"

# VS Code itself. --ignore-scripts: @vscode/ripgrep's install script would download rg, so
# Debian's rg goes in its place before the native modules are rebuilt.
cd "$STAGE/package/lib/vscode" || die "the code-server package has no lib/vscode"
npm install --omit=dev --ignore-scripts "${NPM_QUIET[@]}" >&2 || die "npm install in lib/vscode failed"
mkdir -p node_modules/@vscode/ripgrep/bin || die "cannot create node_modules/@vscode/ripgrep/bin"
cp "$RG" node_modules/@vscode/ripgrep/bin/rg && chmod +x node_modules/@vscode/ripgrep/bin/rg || die "cannot copy $RG into @vscode/ripgrep"
npm_config_yes=true npm rebuild --loglevel=error >&2 || die "npm rebuild in lib/vscode failed"

# code-server's own dependencies (argon2, kerberos, ...).
cd "$STAGE/package" || die "cannot enter $STAGE/package"
npm install --omit=dev --ignore-scripts "${NPM_QUIET[@]}" >&2 || die "npm install in the code-server package failed"
npm_config_yes=true npm_config_unsafe_perm=true npm rebuild --loglevel=error >&2 || die "npm rebuild in the code-server package failed"

# A failed native build can go unnoticed by npm rebuild: load what the server needs.
(cd "$STAGE/package/lib/vscode" && node -e '
  for (const m of ["node-pty", "@vscode/spdlog", "@parcel/watcher", "kerberos", "native-watchdog"]) require(m);
  require("child_process").execFileSync(require("@vscode/ripgrep").rgPath, ["--version"]);
') >&2 || die "code-server's native modules or rg do not load (see above)"
(cd "$STAGE/package" && node -e 'require("argon2")') >&2 || die "code-server's argon2 module does not load (see above)"
cd "$CACHE_ROOT" || die "cannot enter $CACHE_ROOT"

is_installed "$STAGE/package" || die "the freshly built code-server does not report version $CODE_SERVER_VERSION: $(cd "$STAGE/package" && node out/node/entry.js --version 2>&1 | tail -n 5)"

rm -rf "$DEST" || die "cannot remove the old $DEST"
mv -T "$STAGE/package" "$DEST" || die "cannot move the new code-server to $DEST"
is_installed "$DEST" || die "code-server at $DEST does not run after moving it into place"
log "code-server $CODE_SERVER_VERSION installed in $DEST"
echo "$DEST"
