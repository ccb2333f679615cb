#!/usr/bin/env bash
# Installs what Hotpath's end-to-end tests need to run a real VS Code offline:
# Debian's Chromium and ripgrep, and, in the separate npm project test/e2e/harness/,
# code-server 4.100.3 (VS Code 1.100.3), playwright-core and @vscode/test-electron.
# See test/e2e/README.md. Idempotent and non-interactive: a second run only checks.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
harness="$root/test/e2e/harness"
export CI=true DEBIAN_FRONTEND=noninteractive

log() { printf 'setup-e2e: %s\n' "$*"; }

# 1. Debian packages. apt is skipped when every package is already installed,
# so that re-runs stay fast and need no network.
packages=(chromium ripgrep libkrb5-dev pkg-config build-essential)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  log "installing Debian packages: ${missing[*]}"
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
else
  log "Debian packages already installed"
fi

# 2. The harness's npm project. A stamp holding the lockfile's hash marks a
# complete install; it is written only after npm and the checks below succeed.
stamp="$harness/node_modules/.hotpath-e2e-installed"
manifest_hash() { { cat "$harness/package.json" "$harness/package-lock.json" 2>/dev/null || true; } | sha256sum | cut -d' ' -f1; }
want="$(manifest_hash)"
complete() {
  [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] &&
    [ -f "$harness/node_modules/code-server/out/node/entry.js" ] &&
    [ -d "$harness/node_modules/code-server/lib/vscode/node_modules" ] &&
    [ -f "$harness/node_modules/playwright-core/package.json" ]
}
if complete; then
  log "harness already installed ($harness/node_modules)"
  exit 0
fi

# code-server's postinstall refuses root without unsafe_perm; node-pty's runs
# `npx node-gyp` (needs yes); node-gyp must use the installed headers instead of
# downloading them (nodedir=/usr, headers in /usr/include/node).
export npm_config_unsafe_perm=true npm_config_yes=true npm_config_nodedir=/usr
export npm_config_fund=false npm_config_audit=false npm_config_update_notifier=false

# @vscode/ripgrep's postinstall downloads rg from GitHub, which is unreachable
# here; it first looks for a cached download, so give it Debian's rg as that.
tmp="${TMPDIR:-/tmp}"
rg_cache="$tmp/vscode-ripgrep-cache-1.15.11"
rg_tar="$rg_cache/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz"
if [ ! -s "$rg_tar" ]; then
  mkdir -p "$rg_cache"
  staging="$(mktemp -d)"
  cp /usr/bin/rg "$staging/rg"
  tar -czf "$rg_tar" -C "$staging" rg
  rm -rf "$staging"
fi

log "installing the harness (code-server, playwright-core, @vscode/test-electron); takes 1-2 minutes"
start=$SECONDS
cd "$harness"
if [ -f package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
else
  npm install --no-audit --no-fund --loglevel=error
  want="$(manifest_hash)"
fi
printf '%s' "$want" > "$stamp"
if ! complete; then
  rm -f "$stamp"
  log "the harness install looks incomplete (code-server's postinstall?)" >&2
  exit 1
fi
log "harness installed in $((SECONDS - start)) s"
