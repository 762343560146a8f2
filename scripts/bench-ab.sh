#!/usr/bin/env bash
# Interleaved A/B of CpuTimeRounds cases between benchmark jars (issue 17): one launch of each jar
# per round, every process pinned to one core, glibc's malloc_bench of the same shape (pair or
# batch, 64 B) at the start of each round; prints, per jar, the sorted launch medians and their
# ratios to the round's glibc figure. On a host with noisy phases a single launch says little:
# compare the sorted lists, and run enough rounds (8-16) to see both builds in the quiet phases.
#
#   scripts/bench-ab.sh CASE ROUNDS JAR [JAR ...]
#       CASE: order0 order3 cpair kpair cbatch kbatch; ALLOC=slab|slob picks another allocator
#   e.g. mvn -q -B -o -Pbench -DskipTests package && cp boot/target/kmemlab-benchmarks.jar /tmp/new.jar
#        scripts/bench-ab.sh cbatch 10 /tmp/old.jar /tmp/new.jar
#
# glibc's figure comes from ../shared/bench/malloc_bench.c when that file is there (built once
# into a temporary directory, as native-anchor.sh builds it); without it the ratios are left out.
# CORE=n pins to another core. A tool to run by hand, not part of any build.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [ $# -lt 3 ]; then
  echo "usage: $0 CASE ROUNDS JAR [JAR ...]" >&2
  exit 2
fi
case_name=$1
rounds=$2
shift 2
core=${CORE:-0}
alloc=${ALLOC:-slub}
shape=batch
[[ $case_name == *pair ]] && shape=pair
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
anchor=""
src="$here/../shared/bench/malloc_bench.c"
if [ -f "$src" ] && command -v gcc >/dev/null 2>&1; then
  gcc -O2 -march=native -pthread -o "$tmp/malloc_bench" "$src" -ldl
  anchor="$tmp/malloc_bench"
fi
for r in $(seq "$rounds"); do
  g=-
  if [ -n "$anchor" ]; then
    g=$(taskset -c "$core" "$anchor" "$shape" | awk -v p="$shape" '$1 == p && $2 == 64 {print $3}')
  fi
  for j in "$@"; do
    v=$(taskset -c "$core" java @"$here/bench-jit.args" -cp "$j" io.kmemlab.bench.CpuTimeRounds \
      "$case_name" "$alloc" 2>/dev/null | awk '{print $10}')
    echo "$j ${v:-nan} $g" >>"$tmp/runs"
  done
done
python3 - "$tmp/runs" "$case_name" "$alloc" <<'PY'
import collections, sys
runs = collections.OrderedDict()
for line in open(sys.argv[1]):
    jar, v, g = line.split()
    runs.setdefault(jar, []).append((float(v), None if g == '-' else float(g)))
print('%s %s, %d rounds' % (sys.argv[3], sys.argv[2], len(next(iter(runs.values())))))
for jar, vs in runs.items():
    ns = sorted(v for v, _ in vs)
    line = '%-40s median %6.2f  [%s]' % (jar, ns[len(ns) // 2], ' '.join('%.2f' % x for x in ns))
    if all(g for _, g in vs):
        r = sorted(v / g for v, g in vs)
        line += '  / glibc %.2f [%s]' % (r[len(r) // 2], ' '.join('%.2f' % x for x in r))
    print(line)
PY
