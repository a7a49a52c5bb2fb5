#!/usr/bin/env bash
# Coverage-guided fuzzing (docs/FUZZING.md).
#   scripts/fuzz.sh TARGET SECONDS   run one target (e.g. broker_request) over its corpus
#   scripts/fuzz.sh all SECONDS      run every target in turn, SECONDS each
#   scripts/fuzz.sh --seeds          regenerate the committed seeds (tests/fuzz/corpus/*/seed-*)
#   scripts/fuzz.sh --list           list the targets
# Configures and builds build-fuzz with clang (libFuzzer + ASan + UBSan) when needed. New
# coverage goes to build-fuzz/corpus/TARGET (not committed); a crash or a broken invariant is
# saved as tests/fuzz/crashes/TARGET-crash-<sha1> (libFuzzer's artifact) and fails the run.
# FUZZ_FLAGS adds libFuzzer flags (e.g. FUZZ_FLAGS=-jobs=2); FUZZ_NICE=1 runs under nice.
set -euo pipefail
cd "$(dirname "$0")/.."
src=$PWD
build=${FUZZ_BUILD_DIR:-build-fuzz}
export CCACHE_BASEDIR="$src" CCACHE_NOHASHDIR=true CCACHE_MAXSIZE="${CCACHE_MAXSIZE:-8G}"

targets() { (cd tests/fuzz && ls fuzz_*.cpp | sed 's/^fuzz_//; s/\.cpp$//'); }

configure() {
  if [ ! -f "$build/build.ninja" ]; then
    # -O1: libFuzzer's recommended trade-off between speed and useful stacks.
    CC=clang CXX=clang++ cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Debug \
      "-DCMAKE_CXX_FLAGS_DEBUG=-g -O1" "-DCMAKE_C_FLAGS_DEBUG=-g -O1" -DBATCHSCOPE_FUZZ=ON \
      -DBATCHSCOPE_BUILD_GUI=OFF -DBATCHSCOPE_BUILD_TESTS=OFF -DBATCHSCOPE_BUILD_BENCH=OFF \
      >/dev/null
  fi
}

build() {
  configure
  cmake --build "$build" -j "$(nproc)" --target "$@"
}

run() {
  local name=$1 seconds=$2
  local corpus=tests/fuzz/corpus/$name scratch=$build/corpus/$name log=$build/fuzz-$name.log
  [ -d "$corpus" ] || { echo "fuzz.sh: no target '$name' (see --list)" >&2; exit 2; }
  mkdir -p "$scratch" tests/fuzz/crashes
  export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
  export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
  local prefix=()
  [ -n "${FUZZ_NICE:-}" ] && prefix=(nice -n 10)
  local status=0
  # shellcheck disable=SC2086 # FUZZ_FLAGS is a list of flags
  "${prefix[@]}" "$build/tests/fuzz/fuzz_$name" -max_total_time="$seconds" -timeout=20 \
    -rss_limit_mb=2560 -print_final_stats=1 -artifact_prefix="tests/fuzz/crashes/$name-" \
    ${FUZZ_FLAGS:-} "$scratch" "$corpus" >"$log" 2>&1 || status=$?
  local last execs
  last=$(grep -E '^#[0-9]+' "$log" | tail -1 || true)
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
  echo "fuzz $name: ${seconds}s, ${execs:-?} execs; last: ${last:-none}"
  if [ "$status" -ne 0 ]; then
    echo "fuzz $name FAILED (exit $status); log $log:" >&2
    grep -E 'ERROR|invariant|runtime error|SUMMARY|Test unit written|artifact' "$log" | head -20 >&2
    return 1
  fi
}

case "${1:-}" in
  --list) targets ;;
  --seeds)
    build fuzz_make_seeds
    find tests/fuzz/corpus -name 'seed-*' -delete
    "$build/tests/fuzz/fuzz_make_seeds" tests/fuzz/corpus ;;
  all)
    [ $# -eq 2 ] || { echo "usage: $0 all SECONDS" >&2; exit 2; }
    mapfile -t all < <(targets)
    build "${all[@]/#/fuzz_}"
    failed=0
    for t in "${all[@]}"; do run "$t" "$2" || failed=1; done
    exit $failed ;;
  ""|-h|--help) sed -n '2,11p' "$0"; exit 2 ;;
  *)
    [ $# -eq 2 ] || { echo "usage: $0 TARGET SECONDS" >&2; exit 2; }
    [ -f "tests/fuzz/fuzz_$1.cpp" ] || { echo "fuzz.sh: no target '$1' (see --list)" >&2; exit 2; }
    build "fuzz_$1"
    run "$1" "$2" ;;
esac
