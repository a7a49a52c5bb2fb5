#!/usr/bin/env bash
# Installs the Debian 12 packages Batchscope needs to build, run and test. Idempotent: does
# nothing (and prints nothing) when everything is already there.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config git ccache
  # qt6-charts-dev needs Qt6OpenGL's CMake config but does not depend on its package
  qt6-base-dev qt6-charts-dev qt6-svg-dev qtkeychain-qt6-dev libqt6opengl6-dev libgl-dev
  libboost-dev libboost-regex-dev libspdlog-dev libfmt-dev nlohmann-json3-dev libcli11-dev zlib1g-dev libsnappy-dev liblz4-dev libzstd-dev libssl-dev
  libcsv-dev
  # Schema Registry formats: Avro (avro-c) and the registry's REST client
  libavro-dev libcurl4-openssl-dev
  # Protobuf (libprotobuf; compiler/importer.h ships in libprotoc-dev) and its test peers
  libprotobuf-dev libprotoc-dev protobuf-compiler python3-protobuf
  # test peers and tools
  librdkafka-dev kcat python3 python3-kafka python3-confluent-kafka xvfb xauth
  python3-requests python3-avro
  # the libFuzzer targets (scripts/fuzz.sh): clang 14 and its fuzzer/sanitizer runtimes
  clang libclang-rt-14-dev
  # packaging (packaging/test-deb.sh): man pages, icons, validators
  help2man librsvg2-bin lintian desktop-file-utils appstream man-db file
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "install-deps: installing ${missing[*]}" >&2
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
