package io.kmemlab.malloc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kmemlab.malloc.bump.BumpAllocator;
import io.kmemlab.malloc.freelist.FreeListAllocator;
import io.kmemlab.malloc.freelist.ListOrder;
import io.kmemlab.mm.testing.FlatUserSpace;
import io.kmemlab.mm.user.UserAllocator;
import io.kmemlab.mm.user.UserAllocatorProvider;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The allocators as boot finds them: by name through ServiceLoader, with their options. */
class ProvidersTest {

    private static Map<String, UserAllocatorProvider> providers() {
        Map<String, UserAllocatorProvider> m = new TreeMap<>();
        for (UserAllocatorProvider p : ServiceLoader.load(UserAllocatorProvider.class)) {
            m.put(p.name(), p);
        }
        return m;
    }

    @Test
    void everyContractName_isProvided() {
        assertThat(providers().keySet())
                .contains("bump", "first-fit", "next-fit", "best-fit", "worst-fit", "segregated");
        providers().values().forEach(p -> assertThat(p.description()).isNotBlank());
    }

    @Test
    void everyProvider_runsOverTheFlatUserSpace() {
        for (UserAllocatorProvider p : providers().values()) {
            FlatUserSpace s = new FlatUserSpace();
            UserAllocator a = p.create(s, Map.of());
            assertThat(a.name()).isEqualTo(p.name());
            OccupancyModel m = new OccupancyModel(s);
            SplittableRandom r = new SplittableRandom(5);
            long[] ptr = new long[16];
            for (int i = 0; i < 400; i++) {
                int k = r.nextInt(ptr.length);
                if (ptr[k] == 0) {
                    long size = 1 + r.nextInt(300);
                    ptr[k] = a.malloc(size);
                    m.allocated(ptr[k], size, a.usableSize(ptr[k]), 16);
                } else {
                    m.freeing(ptr[k]);
                    a.free(ptr[k]);
                    ptr[k] = 0;
                }
            }
            m.agreesWith(a);
            assertThat(a.validate()).as(p.name()).isEmpty();
            assertThat(s.stderr()).isEmpty();
        }
    }

    @Test
    void options_areReadAndBadOnesNamed() {
        UserAllocator bump =
                providers().get("bump").create(new FlatUserSpace(), Map.of("arena", "64K", "populate", ""));
        assertThat(((BumpAllocator) bump).options().arenaBytes()).isEqualTo(65536);
        assertThat(((BumpAllocator) bump).options().populate()).isTrue();
        UserAllocator best = providers()
                .get("best-fit")
                .create(new FlatUserSpace(), Map.of("order", "SIZESORT+", "coalesce", "off", "header", "16"));
        FreeListAllocator fl = (FreeListAllocator) best;
        assertThat(fl.options().order()).isEqualTo(ListOrder.SIZE_ASCENDING);
        assertThat(fl.options().layout().coalesce()).isFalse();
        assertThat(fl.options().layout().header()).isEqualTo(16);
        assertThatThrownBy(() -> providers().get("first-fit").create(new FlatUserSpace(), Map.of("order", "random")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("order=random");
        assertThatThrownBy(() -> providers().get("segregated").create(new FlatUserSpace(), Map.of("colour", "red")))
                .hasMessageContaining("unknown option colour");
        assertThatThrownBy(() -> providers().get("bump").create(new FlatUserSpace(), Map.of("align", "24")))
                .hasMessageContaining("align=24 is not a power of two");
        assertThatThrownBy(() -> providers().get("worst-fit").create(new FlatUserSpace(), Map.of("header", "12")))
                .hasMessageContaining("header=12");
    }
}
