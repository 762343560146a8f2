package io.kmemlab.malloc.segregated;

import io.kmemlab.malloc.BoundaryTagHeap.TagLayout;
import io.kmemlab.malloc.Options;
import io.kmemlab.mm.user.UserAllocator;
import io.kmemlab.mm.user.UserAllocatorProvider;
import io.kmemlab.mm.user.UserSpace;
import java.util.Map;
import java.util.Set;

/** {@code --allocator segregated}: options {@code align=N} (default 16), {@code grow=SIZE} (default 4096). */
public final class SegregatedProvider implements UserAllocatorProvider {

    @Override
    public String name() {
        return "segregated";
    }

    @Override
    public String description() {
        return "segregated fits (CS:APP malloc lab): explicit free lists per power-of-two size class";
    }

    @Override
    public Set<String> options() {
        return Set.of("align", "grow");
    }

    @Override
    public UserAllocator create(UserSpace space, Map<String, String> options) {
        Options o = new Options(name(), options, options());
        TagLayout d = SegregatedAllocator.defaultLayout();
        return new SegregatedAllocator(
                space,
                new TagLayout(
                        d.header(),
                        o.powerOfTwo("align", d.align(), 8, 4096),
                        d.splitMin(),
                        o.size("grow", d.growBytes(), 0, 1L << 30),
                        true));
    }
}
