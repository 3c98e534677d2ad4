#!/usr/bin/env bash
# npm run test:container — prepares podman and the offline node:20-bookworm-slim stand-in with
# ../shared/tools/container-runtime.sh (this project's CI machines; on a machine with Docker Hub access
# and podman installed it is not needed), then runs tools/container/test.mjs.
set -euo pipefail
cd "$(dirname "$0")/../.."
runtime=../shared/tools/container-runtime.sh
if [ -f "$runtime" ]; then
  bash "$runtime"
elif ! command -v podman >/dev/null; then
  echo "test:container: podman is not installed and $runtime is absent" >&2
  echo "0 passed, 1 failed"
  exit 1
fi
exec node tools/container/test.mjs "$@"
