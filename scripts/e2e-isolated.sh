#!/usr/bin/env bash
# Builds the app into .e2e/<name>/out and runs Playwright against that copy, with its own
# state file, screenshots and results, so that several people can run e2e tests from one
# working tree at once. Usage: scripts/e2e-isolated.sh <name> [playwright args...]
set -euo pipefail
name="${1:?usage: scripts/e2e-isolated.sh <name> [playwright args...]}"
shift
root="$(cd "$(dirname "$0")/.." && pwd)"
run_dir="$root/.e2e/$name"
mkdir -p "$run_dir"
cd "$root"
RECOUVRA_BUILD_OUT="$run_dir/out" npx electron-vite build --logLevel warn
export RECOUVRA_E2E_OUT="$run_dir/out"
export RECOUVRA_E2E_ARTIFACTS="$run_dir/artifacts"
export RECOUVRA_E2E_RESULTS="$run_dir/test-results"
npx playwright test "$@"
echo "screenshots: $RECOUVRA_E2E_ARTIFACTS"
