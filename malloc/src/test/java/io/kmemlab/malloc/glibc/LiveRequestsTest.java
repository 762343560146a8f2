package io.kmemlab.malloc.glibc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LiveRequestsTest {
    @Test
    void randomPutsAndRemoves_agreeWithAHashMap() {
        LiveRequests l = new LiveRequests();
        Map<Long, Long> ref = new HashMap<>();
        Random r = new Random(7);
        for (int i = 0; i < 200_000; i++) {
            long k = 0x5555_5555_9000L + 16L * r.nextInt(1 << 14);
            if (r.nextInt(3) == 0) {
                l.remove(k);
                ref.remove(k);
            } else {
                long v = r.nextInt(5000);
                l.put(k, v);
                ref.put(k, v);
            }
        }
        assertEquals(ref.size(), l.size());
        assertEquals(ref.values().stream().mapToLong(Long::longValue).sum(), l.requested());
        long[] n = {0};
        l.forEach(k -> {
            n[0]++;
            assertEquals(true, ref.containsKey(k));
        });
        assertEquals(ref.size(), n[0]);
    }
}
