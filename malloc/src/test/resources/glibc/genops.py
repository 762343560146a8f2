import random, sys
seed = int(sys.argv[1]); n = int(sys.argv[2]); mode = sys.argv[3] if len(sys.argv) > 3 else ""
r = random.Random(seed)
live = []
nid = 0
out = []
def size():
    x = r.random()
    if x < 0.55: return r.randint(0, 128)
    if x < 0.80: return r.randint(129, 1100)
    if x < 0.95: return r.randint(1100, 70000)
    if x < 0.99: return r.randint(70000, 300000)
    return r.randint(300000, 3000000)
for i in range(n):
    x = r.random()
    if live and x < 0.40:
        k = live.pop(r.randrange(len(live))); out.append(f"f {k}")
    elif live and x < 0.52:
        k = r.choice(live); out.append(f"r {k} {size() if r.random() < 0.9 else 0}")
        if out[-1].endswith(" 0"): live.remove(k)
    elif x < 0.62:
        out.append(f"c {nid} {r.randint(1,8)} {size() // 4}"); live.append(nid); nid += 1
    elif x < 0.68:
        al = r.choice([8, 16, 24, 32, 64, 100, 128, 256, 4096, 65536])
        sz = size()
        if al == 65536: sz = min(sz, 60000)  # an mmapped chunk's alignment depends on where the kernel put it
        out.append(f"a {nid} {al} {sz}"); live.append(nid); nid += 1
    elif x < 0.70:
        al = r.choice([4, 8, 12, 16, 64, 4096, 48])
        out.append(f"p {nid} {al} {size()}"); live.append(nid); nid += 1
    else:
        out.append(f"m {nid} {size()}"); live.append(nid); nid += 1
    if i == n // 3 and "opt" in mode:
        out.append("o 1 0"); out.append("o -2 65536"); out.append("o -3 200000"); out.append("o 1 200"); out.append("o -8 -1")
    if i == n // 2:
        out.append("s"); out.append("t 0")
    if i == 2 * n // 3 and "opt" in mode:
        out.append("o 1 64"); out.append("o -1 1000000"); out.append("o -6 90"); out.append("t 4096")
for k in live[: len(live) // 2]:
    out.append(f"f {k}")
out.append("t 0")
out.append("s")
print("\n".join(out))
