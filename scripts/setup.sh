#!/usr/bin/env bash
# Installs what the project needs and builds it. Safe to run again: each step is skipped when
# what it would produce is already there and up to date. Works non-interactively (CI=true, no
# stdin) on Debian 12, as root or not; the e2e harness is set up too when its script exists.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf 'setup: %s\n' "$*"; }
fail() { printf 'setup: error: %s\n' "$*" >&2; exit 1; }
hash_of() { sha256sum "$@" | sha256sum | cut -d' ' -f1; }

# --- Node.js (20 or newer) and npm -------------------------------------------------------------
command -v node >/dev/null || fail "Node.js 20 or newer is needed (https://nodejs.org); it is not on PATH"
node_major=$(node -p 'process.versions.node.split(".")[0]')
[ "$node_major" -ge 20 ] || fail "Node.js 20 or newer is needed; found $(node --version)"
command -v npm >/dev/null || fail "npm is needed; it is not on PATH"

# --- npm packages, exactly as package-lock.json says ----------------------------------------------
if ! node scripts/npm-installed.mjs; then
  say "installing npm packages (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error </dev/null
else
  say "npm packages are up to date"
fi

# --- Python virtual environment with the pinned packages -----------------------------------------
python=${PYTHON:-python3}
command -v "$python" >/dev/null || fail "Python 3.11 is needed ($python is not on PATH)"
if [ ! -x .venv/bin/python ]; then
  if ! "$python" -c 'import ensurepip, venv' 2>/dev/null; then
    # Debian splits venv support into its own package.
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      say "installing python3-venv (apt-get)"
      DEBIAN_FRONTEND=noninteractive apt-get update -qq </dev/null
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv </dev/null
    else
      fail "$python cannot create virtual environments; install python3-venv"
    fi
  fi
  say "creating .venv"
  rm -rf .venv
  "$python" -m venv .venv
fi
py_stamp=.venv/.hotpath-setup
py_hash=$(hash_of requirements-dev.txt)
if [ "$(cat "$py_stamp" 2>/dev/null)" != "$py_hash" ]; then
  say "installing Python packages into .venv (requirements-dev.txt)"
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --no-input -r requirements-dev.txt </dev/null
  echo "$py_hash" >"$py_stamp"
else
  say "Python packages are up to date"
fi

# --- Optional: PyTorch (CPU) for the torch backend's tests ---------------------------------------
if [ "${HOTPATH_TORCH:-}" = 1 ]; then
  bash scripts/setup-torch.sh
fi

# --- Build -----------------------------------------------------------------------------------------
say "building dist/"
npm run -s build

# --- The end-to-end harness (a real VS Code), when the repository has it -----------------------------
if [ -f scripts/setup-e2e.sh ]; then
  say "setting up the end-to-end harness (scripts/setup-e2e.sh)"
  bash scripts/setup-e2e.sh </dev/null
fi
say "done"
