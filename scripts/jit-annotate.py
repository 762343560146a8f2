#!/usr/bin/env python3
# The machine code C2 compiled for one method, with perf's samples of the same run laid over it
# (issue 17): the way the fast paths' profiles in docs/benchmarks.md were read. Without an hsdis
# library (Debian's libhsdis0-fcml is too old for JDK 17) -XX:+PrintAssembly prints the code as
# hex; this feeds it to objdump and counts perf samples per instruction.
#
#   perf record -e cpu-clock -F 10000 -o perf.data -- java @bench-jit.args \
#       -XX:+UnlockDiagnosticVMOptions -XX:CompileCommand=print,CLASS::METHOD ... > dump.txt
#   scripts/jit-annotate.py dump.txt                       # lists the compiled versions and samples
#   scripts/jit-annotate.py dump.txt N [perf.data]         # version N disassembled (and annotated)
#
# Versions are numbered in the order the dump holds them ("Compiled method (c2) ..."); the one
# with the most samples is the one that ran. Each line: samples, address (low 16 bits),
# instruction; the dump's own comments (call sites, uncommon traps, oops) above the instruction
# they name. Samples land on the instruction after the one that stalled (skid). A tool to run by
# hand, not part of any build; needs objdump and, for samples, perf.
import collections
import re
import subprocess
import sys
import tempfile


def versions(lines):
    return [i for i, l in enumerate(lines) if l.startswith('Compiled method')]


def machine_code(lines, start, end):
    """Bytes, base address and comments (by address) of one version's [MachCode] block."""
    code = bytearray()
    base = None
    comments = collections.defaultdict(list)
    inside = False
    cur = None
    for l in lines[start:end]:
        if l.startswith('[MachCode]'):
            inside = True
            continue
        if l.startswith('[/MachCode]'):
            inside = False
            continue
        if not inside:
            continue
        m = re.match(r'\s+0x([0-9a-f]+): ((?:[0-9a-f]{2,8}\s*\|?\s*)+)$', l)
        if m:
            a = int(m.group(1), 16)
            if base is None:
                base = a
            hx = re.sub(r'[\s|]', '', m.group(2))
            while base + len(code) < a:
                code.append(0x90)
            code[a - base:a - base + len(hx) // 2] = bytes.fromhex(hx)
            cur = a + len(hx) // 2
            continue
        m = re.match(r'\s+0x([0-9a-f]+): (;.*)$', l)
        if m:
            cur = int(m.group(1), 16)
            comments[cur].append(m.group(2))
        elif l.strip().startswith(';') and cur is not None:
            comments[cur].append(l.strip())
    return bytes(code), base, comments


def samples(perf_data, lo, hi):
    out = subprocess.run(['perf', 'script', '-i', perf_data, '-F', 'ip'],
                         capture_output=True, text=True).stdout.split()
    count = collections.Counter()
    total = 0
    for x in out:
        a = int(x, 16)
        total += 1
        if lo <= a < hi:
            count[a] += 1
    return count, total


def main():
    if len(sys.argv) < 2:
        sys.exit('usage: jit-annotate.py DUMP [N [PERFDATA]]')
    lines = open(sys.argv[1], errors='replace').read().split('\n')
    starts = versions(lines) + [len(lines)]
    if len(sys.argv) == 2:
        for n in range(len(starts) - 1):
            print(n, lines[starts[n]].strip())
        return
    n = int(sys.argv[2])
    code, base, comments = machine_code(lines, starts[n], starts[n + 1])
    if base is None:
        sys.exit('version %d has no [MachCode] block' % n)
    count, total = (samples(sys.argv[3], base, base + len(code)) if len(sys.argv) > 3
                    else (collections.Counter(), 0))
    if total:
        inside = sum(count.values())
        print('# samples: %d in all, %d in this version (%.1f %%)' % (total, inside, 100.0 * inside / total))
    with tempfile.NamedTemporaryFile(suffix='.bin') as f:
        f.write(code)
        f.flush()
        dis = subprocess.run(['objdump', '-D', '-b', 'binary', '-mi386:x86-64', '-M', 'intel',
                              '--adjust-vma=%d' % base, f.name], capture_output=True, text=True).stdout
    for l in dis.split('\n'):
        m = re.match(r'\s+([0-9a-f]+):\s+((?:[0-9a-f]{2} )+)\s*(.*)', l)
        if not m or not m.group(3):
            continue
        a = int(m.group(1), 16)
        for c in comments.get(a, []):
            print('      ' + c[:160])
        print('%5d %04x: %s' % (count.get(a, 0), a & 0xffff, m.group(3)))


if __name__ == '__main__':
    main()
