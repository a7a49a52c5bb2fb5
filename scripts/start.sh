#!/usr/bin/env bash
# Quick start (1): install what is missing, build, and start Batchscope on the embedded cluster.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build
if [ -x build/app/batchscope ]; then
  exec build/app/batchscope "$@"
fi
# Built without the GUI (-DBATCHSCOPE_BUILD_GUI=OFF): the embedded cluster, in the foreground.
exec build/app/batchscope-cli broker "$@"
