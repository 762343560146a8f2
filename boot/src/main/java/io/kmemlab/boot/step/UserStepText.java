package io.kmemlab.boot.step;

import io.kmemlab.mm.user.HeapView;
import io.kmemlab.mm.user.UserAllocator;
import io.kmemlab.mm.user.UserAllocatorStats;
import io.kmemlab.mm.user.UserHeapMetric;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A user-space allocator's state after one operation, for {@code malloc replay --step} and the
 * shell's {@code step on}: the free list(s) in OSTEP's words ({@link HeapView#freeListText}, what
 * {@code malloc.py -c} prints after each op) where the allocator has a heap view; otherwise the
 * figures that changed since the previous step — the heap's ({@link UserHeapMetric}) and the
 * library's own ({@link UserAllocatorStats#statsFigures}: glibc's mallinfo2 and tcache bins,
 * jemalloc's stats.*), at most {@code limit} of them. One instance per allocator: it remembers the
 * previous step's figures.
 */
public final class UserStepText {
    private final int limit;
    private Map<String, Long> last = Map.of();

    public UserStepText(int limit) {
        this.limit = limit;
    }

    /** The text after an operation (lines ending in a newline). */
    public String after(UserAllocator a) {
        Optional<HeapView> view = a.heapView();
        if (view.isPresent()) {
            return view.get().freeListText();
        }
        Map<String, Long> now = figures(a);
        StringBuilder sb = new StringBuilder();
        int shown = 0;
        int changed = 0;
        for (Map.Entry<String, Long> e : now.entrySet()) {
            Long before = last.get(e.getKey());
            long was = before == null ? 0 : before;
            if (was == e.getValue()) {
                continue;
            }
            changed++;
            if (shown < limit) {
                sb.append(shown == 0 ? "changed:" : ",")
                        .append(' ')
                        .append(e.getKey())
                        .append(' ')
                        .append(e.getValue())
                        .append(" (")
                        .append(e.getValue() >= was ? "+" : "")
                        .append(e.getValue() - was)
                        .append(')');
                shown++;
            }
        }
        for (Map.Entry<String, Long> e : last.entrySet()) {
            // a figure the library no longer lists (an emptied tcache bin) is 0 now
            if (!now.containsKey(e.getKey()) && e.getValue() != 0) {
                changed++;
                if (shown < limit) {
                    sb.append(shown == 0 ? "changed:" : ",")
                            .append(' ')
                            .append(e.getKey())
                            .append(" 0 (")
                            .append(-e.getValue())
                            .append(')');
                    shown++;
                }
            }
        }
        last = now;
        if (changed == 0) {
            return "changed: nothing\n";
        }
        if (changed > shown) {
            sb.append(" ... ").append(changed - shown).append(" more");
        }
        return sb.append('\n').toString();
    }

    /** The heap's figures, then the library's, in a fixed order. */
    static Map<String, Long> figures(UserAllocator a) {
        Map<String, Long> m = new LinkedHashMap<>();
        UserHeapMetric h = a.metric();
        m.put("heap", h.heapBytes());
        m.put("live_blocks", h.liveBlocks());
        m.put("live_usable", h.liveUsableBytes());
        m.put("free_bytes", h.freeBytes());
        m.put("largest_free", h.largestFreeBlock());
        if (a instanceof UserAllocatorStats s) {
            m.putAll(s.statsFigures());
        }
        return m;
    }
}
