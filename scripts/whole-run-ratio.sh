#!/usr/bin/env bash
# Whole-run ratio (issue 10 §6): the wall time of a whole `kmemlab replay TRACE --slab all` process
# (JVM start, reading, three boots, three replays, the report) over the time mawk takes to split the
# same file's fields, measured side by side in interleaved rounds so that both see the same load.
#
#   scripts/whole-run-ratio.sh TRACE [ROUNDS]       (ROUNDS defaults to 7)
#
# A compressed TRACE (.xz, .gz) is decompressed once into a temporary file first; both programs
# read that plain file, from the page cache after the warm-up round. Each round runs
#   mawk '{n[$5]++} END{for(k in n) print k, n[k]}' TRACE
#   kmemlab replay TRACE --slab all --no-timing >/dev/null
# and prints both wall times, kmemlab's CPU time (user+sys) and the ratio; the end prints the
# median, min and max of the ratios. KMEMLAB=path/to/kmemlab measures another launcher (another
# checkout); KMEMLAB_JAVA_OPTS passes through to it. A tool to run by hand, not part of any build.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
kmemlab="${KMEMLAB:-$here/kmemlab}"

if [ $# -lt 1 ] || [ $# -gt 2 ]; then
  echo "usage: $0 TRACE [ROUNDS]" >&2
  exit 2
fi
trace="$1"
rounds="${2:-7}"
case "$rounds" in '' | *[!0-9]* | 0) echo "$0: ROUNDS must be a positive integer" >&2; exit 2 ;; esac
if ! command -v mawk >/dev/null 2>&1; then
  echo "$0: mawk is not installed (the ratio's yardstick); on Debian/Ubuntu: apt-get install -y mawk" >&2
  exit 2
fi
if [ ! -r "$trace" ]; then
  echo "$0: cannot read $trace" >&2
  exit 2
fi

tmp="$(mktemp -d "${TMPDIR:-/tmp}/whole-run-ratio.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
plain="$trace"
case "$trace" in
  *.xz) plain="$tmp/trace.txt"; xz -dc "$trace" >"$plain" ;;
  *.gz) plain="$tmp/trace.txt"; gzip -dc "$trace" >"$plain" ;;
esac

# wall and user+sys seconds of one command (stdout discarded), as "WALL CPU"
timed() {
  local TIMEFORMAT='%R %U %S' t
  t="$({ time "$@" >/dev/null 2>"$tmp/stderr"; } 2>&1)" || {
    echo "$0: failed: $*" >&2
    cat "$tmp/stderr" >&2
    exit 1
  }
  echo "$t" | awk '{ printf "%.3f %.3f\n", $1, $2 + $3 }'
}
split_fields() { mawk '{n[$5]++} END{for(k in n) print k, n[k]}' "$1"; }

echo "trace: $trace ($(wc -l <"$plain") lines, $(($(wc -c <"$plain") / 1048576)) MiB plain)"
echo "kmemlab: $kmemlab; java: $(java -version 2>&1 | head -1); KMEMLAB_JAVA_OPTS=${KMEMLAB_JAVA_OPTS:-}"
echo "host: $(nproc) CPUs, load average at start $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')"
# builds the jar (and its class-data archive) if needed, and warms the page cache: not counted
echo "warm-up round (not counted) ..."
timed "$kmemlab" --version >/dev/null
timed split_fields "$plain" >/dev/null
timed "$kmemlab" replay "$plain" --slab all --no-timing >/dev/null

printf '%-6s %10s %12s %12s %8s\n' round "mawk s" "kmemlab s" "kmemlab cpu" ratio
ratios=()
for ((r = 1; r <= rounds; r++)); do
  m="$(timed split_fields "$plain")"
  k="$(timed "$kmemlab" replay "$plain" --slab all --no-timing)"
  read -r mw _ <<<"$m"
  read -r kw kc <<<"$k"
  ratio="$(awk -v k="$kw" -v m="$mw" 'BEGIN { printf "%.2f", (m > 0 ? k / m : 0) }')"
  ratios+=("$ratio")
  printf '%-6s %10s %12s %12s %8s\n' "$r" "$mw" "$kw" "$kc" "$ratio"
done
printf '%s\n' "${ratios[@]}" | sort -n | awk -v n="$rounds" '
  { v[NR] = $1 }
  END {
    med = (n % 2) ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
    printf "ratio kmemlab/mawk over %d rounds: median %.2f, min %.2f, max %.2f\n", n, med, v[1], v[n]
  }'
echo "load average at end $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')"
