import re, sys
# perf script (of perf kmem record, -G) -> tracefs `trace` text with nohash-ptr: the same fields.
pat = re.compile(r'^\s*(.+?)\s+(\d+)\s+\[(\d+)\]\s+(\d+\.\d+):\s+kmem:(\w+):\s(.*)$')
cpus = set()
out = []
for line in sys.stdin:
    m = pat.match(line.rstrip('\n'))
    if not m:
        continue
    comm, pid, cpu, ts, ev, fields = m.groups()
    cpus.add(int(cpu))
    fields = re.sub(r'\b(ptr|page)=0x([0-9a-f]+)', lambda g: g.group(1) + '=' + g.group(2).rjust(16, '0'), fields)
    fields = fields.replace('ptr=(nil)', 'ptr=0000000000000000')
    out.append('%16s-%-7s [%03d] ..... %12s: %s: %s' % (comm, pid, int(cpu), ts, ev, fields))
print('# tracer: nop\n#\n# entries-in-buffer/entries-written: %d/%d   #P:2\n#' % (len(out), len(out)))
print('\n'.join(out))
