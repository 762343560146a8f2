#!/usr/bin/env python3
# Cuts the same events out of every form scripts/capture-kmem-forms.sh wrote (issue 11 §1):
# a window of about N events of the tracefs trace whose borders have 40 us without events, the
# same lines of each tracefs form, the lines of that time window of each trace-cmd report and
# perf script form (perf's call-chain lines go with their event). Every cut is checked: the same
# events (name and real pointer) as the trace form's window, or the script stops.
#
#   scripts/cut-kmem-forms.py CAPTUREDIR OUTDIR [N]      (N defaults to 200)
import re, sys, collections, os
D = sys.argv[1]; OUTD = sys.argv[2]; N = int(sys.argv[3]) if len(sys.argv) > 3 else 200
os.makedirs(OUTD, exist_ok=True)
EV = re.compile(r'\[(\d+)\]\s+(?:\S+\s+)?(\d+)\.(\d+):\s+(?:kmem:)?(\w+):\s*(.*)')
def lines(f): return open(os.path.join(D, f)).read().split('\n')
def tracefs_events(f):
    L = lines(f); hdr = []; ev = []
    for l in L:
        if l.startswith('#') and not ev: hdr.append(l); continue
        if l.strip() == '': continue
        ev.append(l)
    return hdr, ev
hdr, tev = tracefs_events('trace.txt')
_, nev = tracefs_events('nohash.txt')
assert len(tev) == len(nev)
def parse(l):
    m = EV.search(l); cpu, s, frac, name, rest = m.groups()
    us = int(s) * 1000000 + int(frac[:6].ljust(6, '0'))
    p = re.search(r'ptr=(\S+)', rest); ptr = p.group(1) if p else ''
    ptr = ptr.replace('0x', '').lstrip('0') or '0'
    if ptr == '(nil)': ptr = '0'
    return us, int(cpu), name, ptr
T = [parse(l) for l in tev]; NP = [parse(l)[3] for l in nev]
# choose a window: borders with >= 40us gaps; content with the quirks
best = None
for a in range(1, len(T) - N):
    if T[a][0] - T[a-1][0] < 40: continue
    for b in range(a + N, min(a + N + 60, len(T))):
        if T[b][0] - T[b-1][0] >= 40: break
    else: continue
    seg = tev[a:b]; txt = '\n'.join(seg)
    score = sum([('<idle>-0' in txt) * 3, (' d..' in txt) * 2, ('.Ns' in txt or '..s' in txt) * 2,
                 ('ptr=0000000000000000' in txt) * 3, ('mm_page_alloc:' in txt), ('kmalloc:' in txt) * 2,
                 ('rss_stat' in txt)])
    # and a mix of the object events: each kind at least 8 times, NULL frees among them
    score += 4 * sum(txt.count(' ' + e + ': ') >= 8 for e in ('kmalloc', 'kfree', 'kmem_cache_alloc', 'kmem_cache_free'))
    score += 2 * (txt.count('ptr=0000000000000000') >= 4)
    if best is None or score > best[0]: best = (score, a, b)
score, a, b = best
print('window', a, b, 'score', score, T[a][0], T[b-1][0])
t0, t1 = T[a][0], T[b-1][0]
def write(name, body): open(os.path.join(OUTD, name), 'w').write('\n'.join(body) + '\n')
# tracefs forms: same index range
for f in ['trace', 'nohash', 'lat', 'noctx', 'noirq', 'sym', 'tgid', 'fields', 'raw', 'hex']:
    L = lines(f + '.txt'); h = []; ev = []
    for l in L:
        if l.startswith('#') and not ev: h.append(l); continue
        if l.strip() == '': continue
        ev.append(l)
    assert len(ev) == len(tev), (f, len(ev))
    body = h + ev[a:b]
    if f == 'hex':  # print_hex_fmt ends each event with a newline of its own: a blank line
        body = h + [x for l in ev[a:b] for x in (l, '')][:-1]
    write('kmem-' + f + '.txt', body)
want = collections.Counter((T[i][2], NP[i]) for i in range(a, b))
wantc = collections.Counter(T[i][2] for i in range(a, b))
# trace-cmd forms: by timestamp
for f in ['tc', 'tcN', 'tcR', 'tct', 'tcl']:
    L = lines(f + '.txt'); body = [L[0]]; got = collections.Counter()
    for l in L[1:]:
        if not l.strip(): continue
        m = re.search(r' (\d+)\.(\d+): (\w+):', l)
        us = int(m.group(1)) * 1000000 + int(m.group(2)[:6])
        if t0 - 20 <= us <= t1 + 20:
            body.append(l); p = re.search(r'ptr=(\S+)', l); ptr = p.group(1).replace('0x','').lstrip('0') if p else ''
            got[(m.group(3), '0' if ptr in ('', '(nil)') else ptr)] += 1
    assert got == want, (f, (got - want), (want - got))
    write('kmem-' + f + '.txt', body)
# perf: find the clock offset from raw pointers, then cut
P = []
for l in lines('perf.txt'):
    if l.strip(): P.append((parse(l), l))
key = collections.defaultdict(list)
for (us, cpu, name, ptr), l in P: key[(name, ptr)].append(us)
offs = collections.Counter()
for i in range(a, b):
    if NP[i] == '0': continue
    for us in key.get((T[i][2], NP[i]), []): offs[T[i][0] - us] += 1
off = offs.most_common(1)[0][0]; print('perf offset us', off, offs.most_common(3))
def perfcut(fname, outname, names=None):
    L = lines(fname); body = []; got = collections.Counter(); keep = False
    for l in L:
        if l and not l.startswith('\t') and l.strip():
            us, cpu, name, ptr = parse(l)
            keep = t0 - off - 15 <= us <= t1 - off + 15
            if keep: got[(name, ptr)] += 1
        if keep: body.append(l)
    w = collections.Counter({k: v for k, v in want.items() if names is None or k[0] in names})
    assert got == w, (fname, list((got - w).items())[:5], list((w - got).items())[:5])
    while body and not body[-1].strip(): body.pop()
    write(outname, body)
perfcut('perf.txt', 'kmem-perf.txt')
slab = {'kmalloc', 'kfree', 'kmem_cache_alloc', 'kmem_cache_free', 'mm_page_alloc', 'mm_page_free'}
perfcut('perfkmem.txt', 'kmem-perfkmem.txt', slab)
perfcut('perfkmemG.txt', 'kmem-perfkmemG.txt', slab)
print(wantc)
