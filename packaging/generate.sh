#!/usr/bin/env bash
# Makes the packaged files that are derived from others (run at install time by CMake):
#   man/batchscope-cli.1.gz  help2man from `batchscope-cli --help` and `--version`, plus one
#                            COMMANDS subsection per subcommand from `<command> --help`;
#   man/batchscope.1.gz      help2man from the GUI's --help (offscreen Qt platform);
#   icons/NxN/batchscope.png rsvg-convert from resources/icons/batchscope.svg (the one the GUI
#                            compiles in);
#   changelog.gz             packaging/changelog.
# Everything is gzipped with -9n (no timestamp), as Debian policy and lintian want.
# usage: generate.sh OUT_DIR CLI_BINARY GUI_BINARY|"" "ICON SIZES"
set -euo pipefail
out=$1 cli=$2 gui=$3 sizes=$4
src=$(cd "$(dirname "$0")" && pwd)

for tool in help2man rsvg-convert gzip; do
  if ! command -v "$tool" >/dev/null; then
    echo "packaging/generate.sh: '$tool' is missing (scripts/install-deps.sh installs it)" >&2
    exit 1
  fi
done
mkdir -p "$out/man" "$out/icons"

# Help text -> roff: "  TERM  description" lines become .TP items (continuation lines, indented
# deeper, join the description); usage lines (and their "  [...]" continuations) and headings
# keep their line, prose is filled.
help_to_roff() {
  awk '
    function esc(s) {
      gsub(/\\/, "\\e", s); gsub(/-/, "\\-", s)
      if (s ~ /^[.\047]/) s = "\\&" s
      return s
    }
    function term(t,   sp) {
      sp = index(t, " ")
      if (sp == 0) return "\\fB" esc(t) "\\fR"
      return "\\fB" esc(substr(t, 1, sp - 1)) "\\fR \\fI" esc(substr(t, sp + 1)) "\\fR"
    }
    /^[ \t]*$/ { print ".PP"; item = 0; next }
    /^  [^ [(]/ {
      line = substr($0, 3)
      gap = match(line, /[^ ]  +[^ ]/)
      print ".TP"
      if (gap) {
        print term(substr(line, 1, gap))
        desc = substr(line, gap + 1); sub(/^ +/, "", desc)
        print esc(desc)
      } else {
        print term(line)
      }
      item = 1; next
    }
    item && /^   / { line = $0; sub(/^ +/, "", line); print esc(line); next }
    {
      if (item) print ".PP"
      print esc($0)
      # usage lines and headings keep their line; prose is filled
      if ($0 ~ /^[Uu]sage:/ || $0 ~ /^  *[[(]/ || $0 ~ /:$/) print ".br"
      item = 0
    }
  '
}

# The subcommands, as the top-level --help lists them ("  name  summary" under "commands:").
"$cli" --help >"$out/cli-help.txt"
commands=$(awk '/^commands:/ { on = 1; next } on && /^  [a-z]/ { print $1 } on && /^$/ { on = 0 }' \
  "$out/cli-help.txt")
if [ -z "$commands" ]; then
  echo "packaging/generate.sh: no commands found in '$cli --help'" >&2
  exit 1
fi
{
  echo "[COMMANDS]"
  echo "Each command takes its own options; \\fBbatchscope\\-cli \\fICOMMAND\\fB \\-\\-help\\fR"
  echo "prints them."
  for c in $commands; do
    echo ".SS \"$c\""
    if [ "$c" = version ]; then
      echo "Prints the program's name and version (as \\fB\\-\\-version\\fR)."
      continue
    fi
    "$cli" "$c" --help | help_to_roff
  done
} >"$out/commands.h2m"

dir_cli=$(dirname "$cli")
PATH="$dir_cli:$PATH" help2man --no-info --section 1 \
  --name "command-line Kafka producer, consumer, broker and log tools of Batchscope" \
  --include "$src/man/batchscope-cli.h2m" --include "$out/commands.h2m" \
  --output "$out/man/batchscope-cli.1" batchscope-cli
gzip -9nf "$out/man/batchscope-cli.1"

if [ -n "$gui" ]; then
  # Qt needs a platform even for --help; argv[0] is the bare name, so the page shows no path.
  PATH="$(dirname "$gui"):$PATH" QT_QPA_PLATFORM=offscreen help2man --no-info --section 1 \
    --name "see how an Apache Kafka producer sends messages (desktop application)" \
    --include "$src/man/batchscope.h2m" \
    --output "$out/man/batchscope.1" batchscope
  gzip -9nf "$out/man/batchscope.1"
  for s in $sizes; do
    mkdir -p "$out/icons/${s}x${s}"
    rsvg-convert --width "$s" --height "$s" --format png \
      --output "$out/icons/${s}x${s}/batchscope.png" "$src/../resources/icons/batchscope.svg"
  done
fi

gzip -9n <"$src/changelog" >"$out/changelog.gz"
