#!/bin/sh
# Runs scripts/contention-native.c (glibc's bench-malloc-thread loop, fixed iterations) under the
# real allocators of this machine at 1 and 2 threads: glibc 2.36 default, MALLOC_ARENA_MAX=1,
# arena_max=1 without tcache, and Debian's libjemalloc.so.2 default, narenas:1 and
# narenas:1,tcache:false. Prints one line per run: config, threads, ns per iteration per thread,
# and each configuration's 2-thread/1-thread ratio (docs/contention.md sets it beside the model's).
# usage: scripts/contention-native.sh [ITERATIONS] [REPEATS]     (default 2000000, 3: the median)
set -eu
dir=$(cd "$(dirname "$0")" && pwd)
iters=${1:-2000000}
reps=${2:-3}
bin=${TMPDIR:-/tmp}/contention-native
gcc -O2 -pthread -o "$bin" "$dir/contention-native.c" -lm
je=/usr/lib/x86_64-linux-gnu/libjemalloc.so.2
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
run() { # name threads env...
    name=$1; n=$2; shift 2
    for i in $(seq "$reps"); do
        env "$@" "$bin" "$n" "$iters" | sed 's/.*"ns_per_iteration": \([0-9.]*\).*/\1/'
    done | median
}
printf '%-34s %8s %8s %8s\n' config 1-thread 2-thread ratio
one() {
    name=$1; shift
    a=$(run "$name" 1 "$@"); b=$(run "$name" 2 "$@")
    printf '%-34s %8s %8s %8.2f\n' "$name" "$a" "$b" "$(echo "$b / $a" | bc -l)"
}
one "glibc default" X=1
one "glibc MALLOC_ARENA_MAX=1" MALLOC_ARENA_MAX=1
one "glibc arena_max=1:tcache_count=0" GLIBC_TUNABLES=glibc.malloc.arena_max=1:glibc.malloc.tcache_count=0
if [ -e "$je" ]; then
    one "jemalloc default" LD_PRELOAD=$je
    one "jemalloc narenas:1" LD_PRELOAD=$je MALLOC_CONF=narenas:1
    one "jemalloc tcache:false" LD_PRELOAD=$je MALLOC_CONF=tcache:false
    one "jemalloc narenas:1,tcache:false" LD_PRELOAD=$je MALLOC_CONF=narenas:1,tcache:false
fi
