package io.kmemlab.boot.memblock;

import java.util.Arrays;

/**
 * One region array of memblock ({@code struct memblock_type}): "memory" or "reserved". Regions are
 * kept as parallel primitive arrays, sorted by base and free of overlaps, exactly as the kernel's
 * {@code regions[]} (24 bytes each on 64-bit: base, size, flags and nid).
 *
 * <p>Physical addresses are unsigned 64-bit values held in {@code long}s; every comparison uses
 * {@link Long#compareUnsigned}, so {@code PHYS_ADDR_MAX} (all ones) works as in the kernel.
 */
public final class MemblockType {
    /** sizeof(struct memblock_region) on 64-bit. */
    public static final int REGION_BYTES = 24;

    private final String name;
    long[] base;
    long[] size;
    int[] flags;
    int[] nid;
    int cnt;
    int max;
    long totalSize;
    /** True while the array is the static one (never freed when doubled). */
    boolean isStatic = true;

    MemblockType(String name, int max) {
        this.name = name;
        this.max = max;
        this.base = new long[max];
        this.size = new long[max];
        this.flags = new int[max];
        this.nid = new int[max];
        clearEmpty();
    }

    /** An empty array has cnt 0 and a zeroed regions[0] with nid MAX_NUMNODES. */
    void clearEmpty() {
        cnt = 0;
        totalSize = 0;
        base[0] = 0;
        size[0] = 0;
        flags[0] = 0;
        nid[0] = Memblock.MAX_NUMNODES;
    }

    public String name() {
        return name;
    }

    /** Number of regions. */
    public int cnt() {
        return cnt;
    }

    /** Capacity of the region array. */
    public int max() {
        return max;
    }

    /** Sum of the region sizes. */
    public long totalSize() {
        return totalSize;
    }

    public long base(int i) {
        return base[i];
    }

    public long size(int i) {
        return size[i];
    }

    /** Exclusive end of region i (never overflows: sizes are capped at PHYS_ADDR_MAX - base). */
    public long end(int i) {
        return base[i] + size[i];
    }

    public int flags(int i) {
        return flags[i];
    }

    public int nid(int i) {
        return nid[i];
    }

    /** A snapshot of region i. */
    public Region region(int i) {
        return new Region(base[i], size[i], flags[i], nid[i]);
    }

    /** One region as the kernel's {@code struct memblock_region}. */
    public record Region(long base, long size, int flags, int nid) {
        public long end() {
            return base + size;
        }
    }

    void grow(int newMax) {
        base = Arrays.copyOf(base, newMax);
        size = Arrays.copyOf(size, newMax);
        flags = Arrays.copyOf(flags, newMax);
        nid = Arrays.copyOf(nid, newMax);
        max = newMax;
    }

    /** memblock_insert_region: shifts regions [idx, cnt) up by one and writes the new one. */
    void insert(int idx, long b, long s, int n, int f) {
        assert cnt < max;
        int move = cnt - idx;
        System.arraycopy(base, idx, base, idx + 1, move);
        System.arraycopy(size, idx, size, idx + 1, move);
        System.arraycopy(flags, idx, flags, idx + 1, move);
        System.arraycopy(nid, idx, nid, idx + 1, move);
        base[idx] = b;
        size[idx] = s;
        flags[idx] = f;
        nid[idx] = n;
        cnt++;
        totalSize += s;
    }

    /** memblock_remove_region: deletes region r, shifting the rest down. */
    void removeRegion(int r) {
        totalSize -= size[r];
        int move = cnt - r - 1;
        System.arraycopy(base, r + 1, base, r, move);
        System.arraycopy(size, r + 1, size, r, move);
        System.arraycopy(flags, r + 1, flags, r, move);
        System.arraycopy(nid, r + 1, nid, r, move);
        cnt--;
        if (cnt == 0) {
            clearEmpty();
        }
    }

    /** memblock_merge_regions over [startRgn, endRgn): merges exactly adjacent equal neighbours. */
    void mergeRegions(int startRgn, int endRgn) {
        int i = Math.max(0, startRgn);
        endRgn = Math.min(endRgn, cnt - 1);
        while (i < endRgn) {
            long thisEnd = base[i] + size[i];
            if (thisEnd != base[i + 1] || nid[i] != nid[i + 1] || flags[i] != flags[i + 1]) {
                assert Long.compareUnsigned(thisEnd, base[i + 1]) <= 0;
                i++;
                continue;
            }
            size[i] += size[i + 1];
            int move = cnt - (i + 2);
            System.arraycopy(base, i + 2, base, i + 1, move);
            System.arraycopy(size, i + 2, size, i + 1, move);
            System.arraycopy(flags, i + 2, flags, i + 1, move);
            System.arraycopy(nid, i + 2, nid, i + 1, move);
            cnt--;
            endRgn--;
        }
    }

    /** Checks sortedness, no overlap, and total_size; one string per violation. */
    public java.util.List<String> validate() {
        java.util.List<String> out = new java.util.ArrayList<>();
        long total = 0;
        for (int i = 0; i < cnt; i++) {
            total += size[i];
            if (i > 0 && Long.compareUnsigned(base[i - 1] + size[i - 1], base[i]) > 0) {
                out.add(name + "[" + i + "] overlaps or is out of order");
            }
        }
        if (total != totalSize) {
            out.add(name + ".total_size " + totalSize + " != sum " + total);
        }
        return out;
    }
}
