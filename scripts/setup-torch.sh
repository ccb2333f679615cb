#!/usr/bin/env bash
# Optional: an interpreter with PyTorch for the torch backend's tests (test/profile/torch.test.ts
# skips, saying why, without one). PyPI's default torch wheel is the CUDA build (several GB of
# NVIDIA libraries), so this uses Debian's CPU build instead: apt's python3-torch for
# /usr/bin/python3, and .venv-torch made from that interpreter with --system-site-packages.
# Not part of scripts/setup.sh (it is large and slow); run it, or `HOTPATH_TORCH=1 bash scripts/setup.sh`.
set -euo pipefail
cd "$(dirname "$0")/.."
say() { printf 'setup-torch: %s\n' "$*"; }

if ! /usr/bin/python3 -c 'import torch' 2>/dev/null; then
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
    say "error: needs root and apt-get to install Debian's python3-torch" >&2
    exit 1
  fi
  say "installing python3-torch (apt-get; a few hundred MB)"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq </dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3-torch python3-venv </dev/null
fi
if [ ! -x .venv-torch/bin/python ]; then
  say "creating .venv-torch (with Debian's site packages)"
  /usr/bin/python3 -m venv --system-site-packages .venv-torch
fi
.venv-torch/bin/python -c 'import torch; print("setup-torch: torch", torch.__version__, "cuda" if torch.cuda.is_available() else "cpu")'
