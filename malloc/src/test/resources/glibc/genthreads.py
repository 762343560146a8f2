import random, sys
r = random.Random(int(sys.argv[1])); n = int(sys.argv[2]); nth = int(sys.argv[3]); big = len(sys.argv) > 4
live = {t: [] for t in range(nth)}; nid = 0; out = []; t = 0
def size():
    x = r.random()
    if big: return r.randint(100000, 2000000) if x < 0.5 else r.randint(0, 3000)
    if x < 0.6: return r.randint(0, 200)
    if x < 0.9: return r.randint(200, 5000)
    if x < 0.99: return r.randint(5000, 120000)
    return r.randint(120000, 400000)
for i in range(n):
    if r.random() < 0.02:
        t = r.randrange(nth); out.append(f"T {t}")
    x = r.random()
    pool = live[t] if r.random() < 0.85 else live[r.randrange(nth)]  # sometimes free another thread's block
    if pool and x < 0.42:
        k = pool.pop(r.randrange(len(pool))); out.append(f"f {k}")
    elif pool and x < 0.52:
        k = r.choice(pool); out.append(f"r {k} {size()}")
    else:
        out.append(f"m {nid} {size()}"); live[t].append(nid); nid += 1
print("\n".join(out))
