#!/usr/bin/env bash
# Install test of the Debian packages: builds them from a configured build dir, installs them
# with apt-get, checks the installed programs (version, a produce/consume round trip against
# `batchscope-cli broker`, the plugin header and example), the manuals against --help, the bash
# completion, the desktop and AppStream files, runs lintian, then removes the packages and checks
# that their files are gone.
# usage: packaging/test-deb.sh [BUILD_DIR]   (default: build-release; configure it first)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build-release}

if [ "$(id -u)" -ne 0 ]; then
  echo "test-deb: SKIP: installing a .deb needs root (run as root to test the package)"
  exit 0
fi
if [ ! -f "$build/CMakeCache.txt" ]; then
  echo "test-deb: $build is not a configured build dir" >&2
  exit 2
fi
for tool in lintian desktop-file-validate appstreamcli help2man rsvg-convert man g++; do
  command -v "$tool" >/dev/null || { echo "test-deb: '$tool' is missing (scripts/install-deps.sh)" >&2; exit 2; }
done

checks=0
ok() { checks=$((checks + 1)); echo "test-deb: ok: $*"; }
fail() { echo "test-deb: FAIL: $*" >&2; exit 1; }

tmp=$(mktemp -d)
broker_pid=""
installed=0
cleanup() {
  if [ -n "$broker_pid" ] && kill -0 "$broker_pid" 2>/dev/null; then
    kill "$broker_pid" 2>/dev/null || true
    wait "$broker_pid" 2>/dev/null || true
  fi
  if [ "$installed" = 1 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get remove -y -qq batchscope-dev batchscope >/dev/null 2>&1 || true
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT

# --- build the packages ---------------------------------------------------------------------
rm -f "$build"/batchscope_*.deb "$build"/batchscope-dev_*.deb
cmake --build "$build" --target package >"$tmp/package.log" 2>&1 ||
  { cat "$tmp/package.log" >&2; fail "cmake --build $build --target package"; }
deb=$(ls "$build"/batchscope_*.deb)
dev_deb=$(ls "$build"/batchscope-dev_*.deb)
version=$(dpkg-deb --field "$deb" Version)
ok "built $(basename "$deb") and $(basename "$dev_deb")"
echo "test-deb: Depends: $(dpkg-deb --field "$deb" Depends)"

# --- install ----------------------------------------------------------------------------------
export DEBIAN_FRONTEND=noninteractive
# A previous install of the same version would make apt-get skip this one.
is_installed() { [ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" = "install ok installed" ]; }
if is_installed batchscope; then
  apt-get remove -y -qq batchscope-dev batchscope >/dev/null
fi
installed=1
(cd "$build" && apt-get install -y -qq "./$(basename "$deb")") >"$tmp/apt.log" 2>&1 ||
  { cat "$tmp/apt.log" >&2; fail "apt-get install ./$(basename "$deb")"; }
(cd "$build" && apt-get install -y -qq "./$(basename "$dev_deb")") >"$tmp/apt.log" 2>&1 ||
  { cat "$tmp/apt.log" >&2; fail "apt-get install ./$(basename "$dev_deb")"; }
dpkg -L batchscope batchscope-dev >"$tmp/files.txt"
ok "installed batchscope and batchscope-dev $version"

# --- the programs -----------------------------------------------------------------------------
[ "$(/usr/bin/batchscope-cli --version)" = "batchscope-cli $version" ] ||
  fail "batchscope-cli --version printed '$(/usr/bin/batchscope-cli --version)', want 'batchscope-cli $version'"
ok "batchscope-cli --version = $version"
has_gui=0
if [ -x /usr/bin/batchscope ]; then
  has_gui=1
  gui_version=$(QT_QPA_PLATFORM=offscreen /usr/bin/batchscope --version 2>/dev/null) ||
    fail "batchscope --version failed"
  [ "$gui_version" = "batchscope $version" ] ||
    fail "batchscope --version printed '$gui_version', want 'batchscope $version'"
  ok "batchscope --version = $version"
fi

commands=$(/usr/bin/batchscope-cli --help |
  awk '/^commands:/ { on = 1; next } on && /^  [a-z]/ { print $1 } on && /^$/ { on = 0 }')
has_cmd() { grep -qx "$1" <<<"$commands"; }

# --- a produce/consume round trip against the installed broker ------------------------------------
/usr/bin/batchscope-cli broker --port 0 --data-dir "$tmp/data" --log-level warn \
  >"$tmp/broker.out" 2>"$tmp/broker.err" </dev/null &
broker_pid=$!
bootstrap=""
for _ in $(seq 1 300); do # up to 30 s for the first line
  bootstrap=$(sed -n '1s/^bootstrap\.servers=//p' "$tmp/broker.out")
  [ -n "$bootstrap" ] && break
  kill -0 "$broker_pid" 2>/dev/null || { cat "$tmp/broker.err" >&2; fail "the broker exited"; }
  sleep 0.1
done
[ -n "$bootstrap" ] || fail "no bootstrap.servers line from the broker within 30 s"
ok "batchscope-cli broker is up at $bootstrap"

printf 'k1:first\nk2:second\nk3:third\n' >"$tmp/in.txt"
if has_cmd produce; then
  producer="batchscope-cli produce"
  /usr/bin/batchscope-cli produce --bootstrap-server "$bootstrap" --topic roundtrip \
    --property parse.key=true --property key.separator=: <"$tmp/in.txt" \
    >"$tmp/produce.out" 2>"$tmp/produce.err" || { cat "$tmp/produce.err" >&2; fail "produce"; }
else
  # Until batchscope-cli has a produce command, kcat (an independent client) writes.
  producer="kcat (batchscope-cli has no produce command)"
  kcat -P -b "$bootstrap" -t roundtrip -K: <"$tmp/in.txt" 2>"$tmp/produce.err" ||
    { cat "$tmp/produce.err" >&2; fail "kcat produce"; }
fi
/usr/bin/batchscope-cli consume --bootstrap-server "$bootstrap" --topic roundtrip \
  --from-beginning --max-messages 3 --timeout-ms 30000 \
  --property print.key=true --property key.separator=: \
  >"$tmp/consume.out" 2>"$tmp/consume.err" || { cat "$tmp/consume.err" >&2; fail "consume"; }
# Records of different partitions come in no fixed order.
diff <(sort "$tmp/in.txt") <(sort "$tmp/consume.out") >&2 ||
  fail "consume did not print back what was produced"
ok "round trip: $producer -> broker -> batchscope-cli consume (3 keyed records)"

# --- the plugin interface (batchscope-dev) ---------------------------------------------------------
plugin=$(grep '/batchscope/plugins/example_partitioner.so$' "$tmp/files.txt") ||
  fail "the example plugin is not installed"
g++ -std=c++20 -O2 -shared -fPIC -Wall -Werror -I/usr/include/batchscope \
  /usr/share/doc/batchscope-dev/examples/example_partitioner.cpp -o "$tmp/example.so" ||
  fail "the installed example does not build against the installed header"
grep -q ' bs_partitioner_plugin_entry$' <<<"$(nm -D --defined-only "$tmp/example.so")" ||
  fail "the rebuilt example does not export bs_partitioner_plugin_entry"
ok "the example plugin builds from /usr/share/doc/batchscope-dev/examples with the installed header"
if has_cmd produce && grep -q -- '--report' <<<"$(/usr/bin/batchscope-cli produce --help)"; then
  # The example puts a keyed record on (sum of key bytes) % partitions: ab -> 195 % 6 = 3.
  printf 'ab:x\n' | /usr/bin/batchscope-cli produce --bootstrap-server "$bootstrap" \
    --topic plugin --property parse.key=true --property key.separator=: --report \
    --producer-property "partitioner.class=$plugin" >"$tmp/report.out" 2>"$tmp/report.err" ||
    { cat "$tmp/report.err" >&2; fail "produce with the installed plugin"; }
  [ "$(awk '{ print $1 }' "$tmp/report.out")" = 3 ] ||
    fail "the installed plugin placed key 'ab' on '$(cat "$tmp/report.out")', want partition 3"
  ok "batchscope-cli produce loads the installed plugin ($plugin)"
fi

kill "$broker_pid"
wait "$broker_pid" 2>/dev/null || true
broker_pid=""

# --- manuals: every flag of every --help is in the man page ------------------------------------
man_text() { zcat "$1" | sed 's/\\-/-/g; s/\\fB//g; s/\\fI//g; s/\\fR//g; s/\\fP//g'; }
flags_of() { grep -oE -- '(^|[[:space:],[])--?[A-Za-z][A-Za-z0-9.-]*' | sed 's/^[^-]*//' | sort -u; }
check_man() { # $1: man page, stdin: help text
  local page=$1 missing=""
  for f in $(flags_of); do
    grep -qF -- "$f" <(man_text "$page") || missing+=" $f"
  done
  [ -z "$missing" ] || fail "$(basename "$page") lacks$missing"
  LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l "$page" 2>"$tmp/man.err" >/dev/null
  [ ! -s "$tmp/man.err" ] || { cat "$tmp/man.err" >&2; fail "man --warnings on $page"; }
}
cli_man=/usr/share/man/man1/batchscope-cli.1.gz
/usr/bin/batchscope-cli --help | check_man "$cli_man"
for c in $commands; do
  /usr/bin/batchscope-cli "$c" --help | check_man "$cli_man"
  grep -q "^\.SS \"$c\"" <(zcat "$cli_man") || fail "batchscope-cli.1 has no section for $c"
done
ok "batchscope-cli(1) covers every command and every flag of their --help ($(wc -w <<<"$commands") commands)"
if [ "$has_gui" = 1 ]; then
  QT_QPA_PLATFORM=offscreen /usr/bin/batchscope --help 2>/dev/null |
    check_man /usr/share/man/man1/batchscope.1.gz
  ok "batchscope(1) covers every flag of batchscope --help"
fi

# --- bash completion --------------------------------------------------------------------------
complete_words() { # the words, the last one being completed -> COMPREPLY, one per line
  bash -c 'source /usr/share/bash-completion/completions/batchscope-cli
           COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _batchscope_cli
           printf "%s\n" "${COMPREPLY[@]}"' _ "$@"
}
grep -qx broker <<<"$(complete_words batchscope-cli br)" || fail "completion: 'br' does not give broker"
grep -qx -- --data-dir <<<"$(complete_words batchscope-cli broker --data)" ||
  fail "completion: 'broker --data' does not give --data-dir"
[ "$(complete_words batchscope-cli broker --auto-create "" | sort | tr '\n' ' ')" = "false true " ] ||
  fail "completion: 'broker --auto-create' does not offer true and false"
grep -qx -- --from-beginning <<<"$(complete_words batchscope-cli consume --from)" ||
  fail "completion: 'consume --from' does not give --from-beginning"
ok "bash completion: commands, flags and flag values"

# --- desktop integration ------------------------------------------------------------------------
if [ "$has_gui" = 1 ]; then
  desktop-file-validate /usr/share/applications/batchscope.desktop ||
    fail "desktop-file-validate"
  echo "test-deb: desktop-file-validate /usr/share/applications/batchscope.desktop: no messages"
  appstreamcli validate --no-net /usr/share/metainfo/io.batchscope.Batchscope.metainfo.xml ||
    fail "appstreamcli validate"
  [ -f /usr/share/icons/hicolor/scalable/apps/batchscope.svg ] || fail "no scalable icon"
  for s in 16 22 24 32 48 64 128 256; do
    png=/usr/share/icons/hicolor/${s}x${s}/apps/batchscope.png
    grep -q "PNG image data, $s x $s," <<<"$(file "$png")" || fail "$png is not a ${s}x${s} PNG"
  done
  ok "desktop entry and AppStream metainfo validate; SVG and 8 PNG icon sizes installed"
fi

# --- lintian ----------------------------------------------------------------------------------
lintian --tag-display-limit 0 "$deb" "$dev_deb" >"$tmp/lintian.txt" 2>&1 || true
echo "test-deb: lintian says:"
sed 's/^/    /' "$tmp/lintian.txt"
if grep -q '^E: ' "$tmp/lintian.txt"; then fail "lintian reports errors"; fi
ok "lintian: no errors ($(grep -c '^W: ' "$tmp/lintian.txt" || true) warnings)"

# --- removal ------------------------------------------------------------------------------------
apt-get remove -y -qq batchscope-dev batchscope >"$tmp/apt.log" 2>&1 ||
  { cat "$tmp/apt.log" >&2; fail "apt-get remove"; }
installed=0
left=""
while read -r f; do
  [ -d "$f" ] && continue # shared directories (/usr/bin, ...) stay
  [ -e "$f" ] && left+=" $f"
done <"$tmp/files.txt"
[ -z "$left" ] || fail "files left after apt-get remove:$left"
for p in batchscope batchscope-dev; do
  if is_installed $p; then fail "$p is still installed"; fi
done
for d in /usr/share/doc/batchscope /usr/share/doc/batchscope-dev /usr/include/batchscope; do
  [ ! -e "$d" ] || fail "$d is left after apt-get remove"
done
ok "apt-get remove took every installed file away"

echo "test-deb: all $checks checks passed"
