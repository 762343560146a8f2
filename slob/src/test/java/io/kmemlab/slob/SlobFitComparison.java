package io.kmemlab.slob;

import io.kmemlab.mm.Gfp;
import io.kmemlab.mm.Machine;
import io.kmemlab.mm.slab.SlabLayer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * Runs one sequence of kmalloc/kfree operations under each {@link SlobFit} policy, each on a
 * fresh machine, and reports the heap side by side: pages used (at the end and at the peak), free
 * space, the largest free block and external fragmentation. Only the choice of block differs
 * between the runs; the kernel's policy is {@link SlobFit#FIRST}. The tests' harness for the fit
 * policies on a bare SLOB layer; {@code kmemlab slob-fit} compares them on booted machines, as
 * {@code slob_fit=} variants of one replay.
 */
public final class SlobFitComparison {

    /** What an operation does. */
    public enum Kind {
        KMALLOC,
        KFREE
    }

    /**
     * One operation: {@code kmalloc(size)} remembered as object {@code id}, or {@code kfree} of
     * the object remembered as {@code id}. Ids are small non-negative integers chosen by the caller.
     */
    public record Op(Kind kind, int id, int size) {
        public Op {
            if (id < 0) {
                throw new IllegalArgumentException("object ids are non-negative: " + id);
            }
        }

        public static Op kmalloc(int id, int size) {
            return new Op(Kind.KMALLOC, id, size);
        }

        public static Op kfree(int id) {
            return new Op(Kind.KFREE, id, 0);
        }
    }

    /**
     * The heap after the sequence under one policy.
     *
     * @param fit the policy
     * @param heapPages SLOB heap pages at the end
     * @param peakHeapPages most heap pages held at once
     * @param heapPagesAllocated heap pages taken from the page allocator over the run
     * @param liveBytes bytes requested by the objects still allocated at the end
     * @param freeUnits free units on the heap pages at the end
     * @param freeBlocks free blocks at the end
     * @param largestFreeBlock units of the largest free block at the end
     * @param externalFragmentation 1 − largest free block / free units, at the end
     * @param failures kmalloc calls that returned NULL
     * @param rejected frees rejected with a report (unknown ids are skipped, not counted here)
     */
    public record Result(
            SlobFit fit,
            long heapPages,
            long peakHeapPages,
            long heapPagesAllocated,
            long liveBytes,
            long freeUnits,
            long freeBlocks,
            int largestFreeBlock,
            double externalFragmentation,
            long failures,
            long rejected) {}

    private SlobFitComparison() {}

    /**
     * A reproducible mixed workload for demonstrations: {@code n} operations, about three
     * allocations of 1 … {@code maxSize} bytes (skewed towards small sizes, as kmalloc traffic is)
     * for every two frees of a random live object; whatever is live at the end stays live.
     */
    public static List<Op> randomWorkload(long seed, int n, int maxSize) {
        SplittableRandom rnd = new SplittableRandom(seed);
        List<Op> ops = new ArrayList<>(n);
        List<Integer> live = new ArrayList<>();
        int nextId = 0;
        for (int i = 0; i < n; i++) {
            if (!live.isEmpty() && rnd.nextInt(5) < 2) {
                ops.add(Op.kfree(live.remove(rnd.nextInt(live.size()))));
            } else {
                int bound = rnd.nextInt(4) == 0 ? maxSize : Math.max(1, maxSize / 16);
                ops.add(Op.kmalloc(nextId, 1 + rnd.nextInt(bound)));
                live.add(nextId++);
            }
        }
        return ops;
    }

    /**
     * Runs {@code ops} once per policy.
     *
     * @param machines makes a fresh machine with its page allocator attached, once per policy
     */
    public static List<Result> compare(Supplier<Machine> machines, List<Op> ops) {
        List<Result> out = new ArrayList<>();
        for (SlobFit fit : SlobFit.values()) {
            out.add(run(machines.get(), fit, ops));
        }
        return out;
    }

    /** Runs {@code ops} under one policy on {@code machine}. */
    public static Result run(Machine machine, SlobFit fit, List<Op> ops) {
        SlobAllocator slob = new SlobAllocator(machine, SlobSettings.DEFAULT.withFit(fit));
        SlabLayer layer = new SlabLayer(machine, slob);
        layer.init();
        long callSite = machine.symbols().intern("slob_fit_comparison", 0, 0x100);
        long[] addr = new long[16];
        int[] size = new int[16];
        long peak = 0;
        long failures = 0;
        long live = 0;
        SlobMetric m = slob.metric();
        for (Op op : ops) {
            if (op.id() >= addr.length) {
                int n = Math.max(addr.length * 2, op.id() + 1);
                addr = Arrays.copyOf(addr, n);
                size = Arrays.copyOf(size, n);
            }
            if (op.kind() == Kind.KMALLOC) {
                if (addr[op.id()] != 0) {
                    layer.kfree(0, addr[op.id()], callSite);
                    live -= size[op.id()];
                }
                long a = layer.kmalloc(0, op.size(), Gfp.GFP_KERNEL, callSite);
                addr[op.id()] = a;
                size[op.id()] = a == 0 ? 0 : op.size();
                live += size[op.id()];
                if (a == 0) {
                    failures++;
                }
            } else if (addr[op.id()] != 0) {
                layer.kfree(0, addr[op.id()], callSite);
                live -= size[op.id()];
                addr[op.id()] = 0;
                size[op.id()] = 0;
            }
            peak = Math.max(peak, m.heapPages());
        }
        return new Result(
                fit,
                m.heapPages(),
                peak,
                m.heapPagesAllocated(),
                live,
                m.freeUnits(),
                m.freeBlocks(),
                m.largestFreeBlock(),
                m.externalFragmentation(),
                failures,
                m.rejected());
    }
}
