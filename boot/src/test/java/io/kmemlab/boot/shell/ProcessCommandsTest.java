package io.kmemlab.boot.shell;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemlab.boot.Kernel;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The process commands of the shell on a booted kernel. */
class ProcessCommandsTest {
    Kernel kernel;
    Shell shell;
    ByteArrayOutputStream out;
    ByteArrayOutputStream err;

    @BeforeEach
    void boot() {
        kernel = Kernel.boot(List.of("mem=256M", "nr_cpus=2", "norandmaps")).kernel();
        out = new ByteArrayOutputStream();
        err = new ByteArrayOutputStream();
        shell = new Shell(
                kernel,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private Shell.RunResult run(String script) {
        return shell.run(script, false);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void mapTouchAndUnmap_throughTheShell() {
        Shell.RunResult r = run("$pid = spawn arena\n"
                + "$a = mmap 4M rw private|populate\n"
                + "cat /proc/self/status\n"
                + "$b = mmap 1M\n"
                + "touch $b 1M\n"
                + "poke $b+8 0x41 0x42\n"
                + "peek $b 16\n"
                + "mprotect $b 4096 none\n"
                + "madvise $a 4M dontneed\n"
                + "$old = sbrk 8K\n"
                + "brk\n"
                + "ps\n"
                + "munmap $a 4M\n");
        assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
        assertThat(r.ok()).isTrue();
        String o = out();
        assertThat(o).contains("$pid = 301\n");
        assertThat(o).contains("$a = 0x7ffff7a00000\n");
        assertThat(o).contains("VmRSS:\t    4100 kB\n");
        assertThat(o).contains("256 pages touched, 256 minor faults, ");
        assertThat(o).contains("$b = 0x7ffff7eff000\n");
        assertThat(o).contains("00007ffff7eff000: 00 00 00 00 00 00 00 00 41 42 00 00 00 00 00 00  ........AB......\n");
        assertThat(o).contains("$old = 0x55555555b000\n0x55555555d000\n");
        assertThat(o).containsPattern("    301 +5288 +1028 +1281 arena\n");
        assertThat(kernel.processes().validate()).isEmpty();
        assertThat(kernel.machine()
                        .mem()
                        .readU8(io.kmemlab.mm.Addr.pfnToVirt(
                                        kernel.processes().current().pfnAt(0x7ffff7eff000L))
                                + 8))
                .isEqualTo(0x41);
    }

    @Test
    void errors_areTheSystemCallsErrno_orWhatKilledTheProcess() {
        assertThat(run("mmap 1M").ok()).isFalse();
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("mmap: no process: spawn one first (spawn NAME)");
        run("spawn p; $a = mmap 8K rw");
        assertThat(run("munmap 0x1001 4096").ok()).isFalse();
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("munmap: EINVAL (Invalid argument)");
        assertThat(run("mmap 1M rw bogus").ok()).isFalse();
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("mmap: invalid mmap flags 'bogus'");
        assertThat(run("mprotect $a 4096 r; poke $a 1").ok()).isFalse();
        assertThat(err.toString(StandardCharsets.UTF_8))
                .containsPattern("poke: process 301 \\(p\\) killed by SIGSEGV" + " \\(segfault at 0x7ffff7ffd000\\)");
        assertThat(kernel.machine().dmesg().text()).contains("p[301]: segfault at 7ffff7ffd000");
        assertThat(run("exit_group").ok()).isFalse();
    }

    @Test
    void overcommitAndOom_fromTheShell() {
        Shell.RunResult r = run("echo 2 > /proc/sys/vm/overcommit_memory\nspawn big\nmmap 1G\n");
        assertThat(r.ok()).isFalse();
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("mmap: ENOMEM (Cannot allocate memory)");
        assertThat(out())
                .contains("__vm_enough_memory: pid: 301, comm: big, bytes: 1073741824 not enough memory for"
                        + " the allocation");
        out.reset();
        r = run("echo 1 > /proc/sys/vm/overcommit_memory\n$a = mmap 400M\ntouch $a 400M\n");
        assertThat(r.ok()).isFalse();
        assertThat(out())
                .contains("big invoked oom-killer: gfp_mask=0x140dca(GFP_HIGHUSER_MOVABLE|__GFP_ZERO|__GFP_COMP)");
        assertThat(out()).containsPattern("Out of memory: Killed process 301 \\(big\\) total-vm:\\d+kB");
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("touch: process 301 (big) killed by SIGKILL" + " (the OOM killer)");
        assertThat(run("spawn after; $b = mmap 1M; touch $b 1M").ok())
                .as("the run goes on")
                .isTrue();
    }
}
