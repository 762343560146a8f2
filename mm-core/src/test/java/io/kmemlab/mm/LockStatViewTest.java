package io.kmemlab.mm;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemlab.mm.sched.CostModel;
import io.kmemlab.mm.sched.LockPolicy;
import io.kmemlab.mm.sched.Scheduler;
import io.kmemlab.mm.sched.VLock;
import io.kmemlab.mm.trace.Symbols;
import io.kmemlab.mm.trace.TraceFormat;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class LockStatViewTest {
    private static final boolean UPDATE = Boolean.getBoolean("kmemlab.updateGolden");

    @Test
    void time_roundsAsSnprintTime() {
        // (ns + 5) / 1000, then the remainder's first two digits: rounding to 10 ns, not to 5
        assertThat(LockStatView.time(0)).isEqualTo("0.00");
        assertThat(LockStatView.time(4)).isEqualTo("0.00");
        assertThat(LockStatView.time(5)).isEqualTo("0.01");
        assertThat(LockStatView.time(14)).isEqualTo("0.01");
        assertThat(LockStatView.time(994)).isEqualTo("0.99");
        assertThat(LockStatView.time(995)).isEqualTo("1.00");
        assertThat(LockStatView.time(1_234)).isEqualTo("1.23");
        assertThat(LockStatView.time(1_236)).isEqualTo("1.24");
        assertThat(LockStatView.time(2_000_005)).isEqualTo("2000.01");
        assertThat(LockStatView.time(17_464_026_916_322L)).isEqualTo("17464026916.32");
    }

    /** Two zone locks (one class, summed), a pcp lock never contended and a long class name. */
    private static Scheduler run() {
        Scheduler s = new Scheduler(3, CostModel.DEFAULT, 5);
        VLock zoneDma32 = s.newLock("&zone->lock", LockPolicy.QUEUED);
        VLock zoneNormal = s.newLock("&zone->lock", LockPolicy.QUEUED);
        VLock pcp = s.newLock("&pcp->lock", LockPolicy.QUEUED);
        VLock longName = s.newLock("&very_long_structure_name->member_lock_name", LockPolicy.QUEUED);
        int bulk = s.site("rmqueue_bulk");
        int flush = s.site("free_pcppages_bulk");
        int other = s.site("some_function_kmemlab_has_no_offset_for");
        for (int t = 0; t < 3; t++) {
            int[] n = {0};
            int me = t;
            s.spawn("t" + t, (th, st) -> {
                if (n[0]++ == 200) {
                    return false;
                }
                st.work(50 + 10 * me);
                st.lock(pcp, me == 1 ? other : 0);
                st.work(5);
                st.unlock(pcp);
                VLock z = n[0] % 3 == 0 ? zoneNormal : zoneDma32;
                st.lock(z, me == 0 ? bulk : flush);
                st.work(120);
                st.unlock(z);
                if (me == 2) {
                    st.lock(longName, other);
                    st.work(30);
                    st.unlock(longName);
                }
                return true;
            });
        }
        assertThat(s.run()).isEqualTo(Scheduler.Outcome.FINISHED);
        return s;
    }

    @Test
    void text_isTheKernelsFormat_golden() throws IOException {
        Scheduler s = run();
        Symbols symbols = new Symbols();
        String actual = LockStatView.text(s.locks(), s, symbols, new TraceFormat(symbols, 42));
        assertGolden(actual, "lock_stat.txt");
        String[] lines = actual.split("\n", -1);
        assertThat(lines[0]).isEqualTo("lock_stat version 0.4");
        assertThat(lines[1]).hasSize(221).matches("-+");
        assertThat(lines[2]).startsWith("                              class name    con-bounces");
        // 40 + 12 × 15 = 220: the rules are one wider than the header and the rows (40 + 1 + 12 × 15)
        assertThat(lines[2]).hasSize(220);
        assertThat(lines[4]).isEmpty();
        // the zone class comes first (most contentions), both instances in one row
        assertThat(lines[5]).startsWith("                             &zone->lock:");
        long zoneAcq = s.locks().get(0).acquisitions() + s.locks().get(1).acquisitions();
        assertThat(zoneAcq).isEqualTo(600);
        assertThat(lines[5].trim().split(" +")[8]).isEqualTo("600");
        assertThat(lines[5].substring(146, 160)).isEqualTo("           600");
        assertThat(lines[5]).hasSize(220);
        // the class name is cut at 37 characters, as snprintf(name, 38, …)
        assertThat(actual).contains("&very_long_structure_name->member_loc:");
        assertThat(actual).contains(" rmqueue_bulk+0x4c/0x6f0\n").contains(" free_pcppages_bulk+0x5a/0x2b0\n");
        // an unnamed call site prints no address; a site without a known offset gets the default
        assertThat(actual).contains("[<0000000000000000>] 0x0\n");
        assertThat(actual).contains(" some_function_kmemlab_has_no_offset_for+0x20/0x100\n");
        // the uncontended class has its row and no points, and no dotted rule
        assertThat(actual).endsWith("           0.03           0.03           6.00           0.03\n");
    }

    @Test
    void classesAreSortedByContentions_andUnusedClassesPrintNothing() {
        Scheduler s = run();
        s.newLock("&never->taken", LockPolicy.QUEUED);
        Symbols symbols = new Symbols();
        String text = LockStatView.text(s.locks(), s, symbols, new TraceFormat(symbols, 42));
        assertThat(text).doesNotContain("never");
        List<VLock> locks = s.locks();
        long zone = locks.get(0).contentions() + locks.get(1).contentions();
        long pcp = locks.get(2).contentions();
        assertThat(zone).isGreaterThan(pcp);
        assertThat(pcp).isGreaterThan(locks.get(3).contentions());
        assertThat(text.indexOf("&zone->lock:")).isLessThan(text.indexOf("&pcp->lock:"));
        assertThat(text.indexOf("&pcp->lock:")).isLessThan(text.indexOf("&very_long"));
    }

    @Test
    void emptyRun_isTheHeaderAlone() {
        Symbols symbols = new Symbols();
        String text = LockStatView.text(List.of(), null, symbols, new TraceFormat(symbols, 1));
        assertThat(text.split("\n", -1)).hasSize(6);
        assertThat(text).endsWith("-\n\n");
    }

    private static void assertGolden(String actual, String name) throws IOException {
        Path golden = Path.of("src/test/resources/golden", name);
        if (UPDATE) {
            Files.writeString(golden, actual, StandardCharsets.UTF_8);
        }
        try (InputStream in = LockStatViewTest.class.getResourceAsStream("/golden/" + name)) {
            assertThat(in).as("golden file " + name).isNotNull();
            assertThat(actual).isEqualTo(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }
}
