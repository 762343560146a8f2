package io.kmemlab.malloc.freelist;

import io.kmemlab.malloc.BoundaryTagHeap.TagLayout;
import io.kmemlab.malloc.Options;
import io.kmemlab.mm.user.UserAllocator;
import io.kmemlab.mm.user.UserAllocatorProvider;
import io.kmemlab.mm.user.UserSpace;
import java.util.Map;
import java.util.Set;

/**
 * {@code --allocator first-fit|next-fit|best-fit|worst-fit}, with OSTEP malloc.py's other knobs as
 * options: {@code order=addr|size-asc|size-desc|front|back} (or malloc.py's ADDRSORT, SIZESORT+,
 * …; default addr), {@code coalesce=on|off} (default on), {@code header=N} (bytes before the
 * payload, a multiple of 8, default 8), {@code align=N} (default 16), {@code split=N} (the smallest
 * remainder a split leaves; default the smallest block), {@code grow=SIZE} (the least the heap
 * grows by, default 4096).
 */
public abstract class FreeListProvider implements UserAllocatorProvider {
    private final FitPolicy policy;

    FreeListProvider(FitPolicy policy) {
        this.policy = policy;
    }

    @Override
    public String name() {
        return policy.allocatorName();
    }

    @Override
    public String description() {
        return "free list, " + policy.allocatorName()
                + ": boundary tags, coalescing, brk heap; OSTEP malloc.py's knobs as options";
    }

    @Override
    public Set<String> options() {
        return Set.of("order", "coalesce", "header", "align", "split", "grow");
    }

    @Override
    public UserAllocator create(UserSpace space, Map<String, String> options) {
        return new FreeListAllocator(space, options(policy, options));
    }

    /** The options of {@code --allocator NAME opt=value…}. */
    public FreeListOptions options(FitPolicy policy, Map<String, String> values) {
        Options o = new Options(name(), values, options());
        ListOrder order = ListOrder.ADDRESS;
        if (o.has("order")) {
            order = ListOrder.parse(values.get("order"));
            if (order == null) {
                throw new IllegalArgumentException(name() + ": order=" + values.get("order")
                        + " is not one of addr, size-asc, size-desc, front, back");
            }
        }
        long header = o.size("header", 8, 8, 4096);
        if (header % 8 != 0) {
            throw new IllegalArgumentException(name() + ": header=" + header + " is not a multiple of 8");
        }
        TagLayout layout = new TagLayout(
                header,
                o.powerOfTwo("align", 16, 8, 4096),
                o.size("split", 0, 0, 1L << 30),
                o.size("grow", FreeListOptions.DEFAULT_GROW, 0, 1L << 30),
                o.flag("coalesce", true));
        return new FreeListOptions(policy, order, layout);
    }

    /** {@code first-fit}. */
    public static final class FirstFit extends FreeListProvider {
        public FirstFit() {
            super(FitPolicy.FIRST);
        }
    }

    /** {@code next-fit}. */
    public static final class NextFit extends FreeListProvider {
        public NextFit() {
            super(FitPolicy.NEXT);
        }
    }

    /** {@code best-fit}. */
    public static final class BestFit extends FreeListProvider {
        public BestFit() {
            super(FitPolicy.BEST);
        }
    }

    /** {@code worst-fit}. */
    public static final class WorstFit extends FreeListProvider {
        public WorstFit() {
            super(FitPolicy.WORST);
        }
    }
}
