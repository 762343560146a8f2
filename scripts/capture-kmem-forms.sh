#!/bin/bash
# Capture one window of kmem events on a real machine (as root, tracefs at /sys/kernel/tracing) and
# print it in every text form kmemlab reads (issue 11 §1): the tracefs trace under each
# trace_option (read again from the same instance buffer, so every form holds the same events),
# trace-cmd report of a trace-cmd extract (default, -N, -R, -t, -l), and perf script of
# perf record -e 'kmem:*' and of perf kmem --page --slab record (with call chains and -G), both
# recording over the same window on the same clock (mono). It works in an instance
# (instances/forms), so the top-level buffer and its options are left as they were; the instance
# is removed at the end. Then scripts/cut-kmem-forms.py cuts the same events out of every form.
#
#   scripts/capture-kmem-forms.sh OUTDIR [SECONDS]      (SECONDS of tracing, default 0.15)
#
# Needs trace-cmd and perf (Debian: apt-get install trace-cmd linux-perf). A tool to run by hand.
set -e
T=/sys/kernel/tracing
OUT=${1:?usage: $0 OUTDIR [SECONDS]}
SECS=${2:-0.15}
mkdir -p $OUT
mkdir -p $T/instances/forms
I=$T/instances/forms
cd $I
echo 0 > tracing_on
echo > trace
echo 4096 > buffer_size_kb
echo mono > trace_clock
echo record-tgid > trace_options
for e in events/kmem/*/enable; do echo 1 > $e; done
perf record -m 4096 -e 'kmem:*' -a -o $OUT/perf.data -k mono -- sleep 5 > $OUT/perf.rec.log 2>&1 &
PR=$!
perf kmem --page --slab record -m 4096 -o $OUT/perfkmem.data -k mono -- sleep 5 > $OUT/perfkmem.rec.log 2>&1 &
PK=$!
sleep 2.5
echo 1 > tracing_on
( ls -l /usr/lib > /dev/null; cat /etc/passwd | sort | uniq > /dev/null; sh -c 'echo hi > /dev/null'; dd if=/dev/zero of=$OUT/ddfile bs=64k count=40 conv=fsync 2>/dev/null; sleep 0.05; rm -f $OUT/ddfile ) &
sleep $SECS
echo 0 > tracing_on
wait $PR $PK || true
for e in events/kmem/*/enable; do echo 0 > $e; done
echo norecord-tgid > trace_options
cat trace > $OUT/trace.txt
set_opt() { echo "$1" > trace_options; }
set_opt nohash-ptr; cat trace > $OUT/nohash.txt; set_opt hash-ptr
set_opt latency-format; cat trace > $OUT/lat.txt; set_opt nolatency-format
set_opt raw; cat trace > $OUT/raw.txt; set_opt noraw
set_opt hex; cat trace > $OUT/hex.txt; set_opt nohex
set_opt nocontext-info; cat trace > $OUT/noctx.txt; set_opt context-info
set_opt noirq-info; cat trace > $OUT/noirq.txt; set_opt irq-info
set_opt sym-offset; set_opt sym-addr; set_opt noprint-parent; cat trace > $OUT/sym.txt; set_opt nosym-offset; set_opt nosym-addr; set_opt print-parent
set_opt record-tgid; cat trace > $OUT/tgid.txt; set_opt norecord-tgid
set_opt fields; cat trace > $OUT/fields.txt; set_opt nofields
(cd $OUT && trace-cmd extract -B forms -o $OUT/tc.dat > $OUT/tc.extract.log 2>&1) || echo "extract failed"
[ -d $I ] && { echo > $I/trace; rmdir $I; } || true
cd $OUT
trace-cmd report -i tc.dat > tc.txt; trace-cmd report -N -i tc.dat > tcN.txt; trace-cmd report -R -i tc.dat > tcR.txt
trace-cmd report -t -i tc.dat > tct.txt; trace-cmd report -l -i tc.dat > tcl.txt
perf script -i perf.data > perf.txt 2>/dev/null; perf script -i perfkmem.data > perfkmem.txt 2>/dev/null; perf script -G -i perfkmem.data > perfkmemG.txt 2>/dev/null
