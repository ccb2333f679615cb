#!/usr/bin/env bash
# Runs setup, then every check: typecheck, unit, language-server, CLI and profiler tests, and the end-to-end
# tests in a real VS Code when the harness exists. Runs them all, then exits non-zero if any failed.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh

failed=()
step() {
  local name=$1
  shift
  printf '\n== %s\n' "$name"
  if ! "$@"; then failed+=("$name"); fi
}

step typecheck npm run -s typecheck
step "unit, lsp, cli and profile tests" node scripts/run-tests.mjs test/unit test/lsp test/cli test/profile
if [ -f scripts/setup-e2e.sh ] && node -e 'process.exit(require("./package.json").scripts?.["test:e2e"] ? 0 : 1)'; then
  step "end-to-end tests" npm run -s test:e2e
fi

if [ ${#failed[@]} -gt 0 ]; then
  printf '\nFAILED: %s\n' "${failed[*]}"
  exit 1
fi
printf '\nAll checks passed.\n'
