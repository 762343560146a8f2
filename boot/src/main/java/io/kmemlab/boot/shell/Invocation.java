package io.kmemlab.boot.shell;

import io.kmemlab.boot.Kernel;
import io.kmemlab.mm.Addr;
import io.kmemlab.mm.Gfp;
import io.kmemlab.mm.Machine;
import java.util.List;
import java.util.Locale;

/** One run of a command: its words, the shell it runs in, and argument helpers. */
public final class Invocation {
    private final Shell shell;
    private final Statement statement;

    Invocation(Shell shell, Statement statement) {
        this.shell = shell;
        this.statement = statement;
    }

    public Shell shell() {
        return shell;
    }

    public Kernel kernel() {
        return shell.kernel();
    }

    public Machine machine() {
        return shell.kernel().machine();
    }

    /** The emulated CPU the command runs on. */
    public int cpu() {
        return shell.cpu();
    }

    /** The call-site address of this command, for tracepoints and track records. */
    public long callSite() {
        return machine().symbols().intern("script_" + statement.name(), 0, 0x80);
    }

    public Statement statement() {
        return statement;
    }

    public List<String> args() {
        return statement.args();
    }

    public int argc() {
        return statement.args().size();
    }

    public String arg(int i) {
        if (i >= argc()) {
            throw new CommandError("missing argument; usage: " + shell.usageOf(statement.name()));
        }
        return statement.args().get(i);
    }

    public boolean has(int i) {
        return i < argc();
    }

    /** Fails unless the argument count is within [min, max]. */
    public void expectArgs(int min, int max) {
        if (argc() < min || argc() > max) {
            throw new CommandError((argc() < min ? "missing argument" : "too many arguments") + "; usage: "
                    + shell.usageOf(statement.name()));
        }
    }

    /** A number: decimal, or hex with 0x; negative allowed. */
    public long number(int i) {
        return parseNumber(arg(i), "number");
    }

    /** A non-negative number, at most {@code max}. */
    public long count(int i, String what, long max) {
        long v = parseNumber(arg(i), what);
        if (v < 0 || v > max) {
            throw new CommandError("invalid " + what + " '" + arg(i) + "'");
        }
        return v;
    }

    static long parseNumber(String text, String what) {
        Long v = parseLongOrNull(text);
        if (v == null) {
            throw new CommandError("invalid " + what + " '" + text + "'");
        }
        return v;
    }

    static Long parseLongOrNull(String text) {
        try {
            String t = text.toLowerCase(Locale.ROOT);
            if (t.startsWith("0x")) {
                return Long.parseUnsignedLong(t.substring(2), 16);
            }
            if (t.startsWith("-0x")) {
                return -Long.parseLong(t.substring(3), 16);
            }
            return Long.parseLong(t);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** An address: {@code $name}, {@code $name+OFF}, {@code $name-OFF}, or a number. */
    public long address(int i) {
        return shell.resolveAddress(arg(i));
    }

    /** GFP flags at argument i, or GFP_KERNEL if absent. */
    public int gfp(int i) {
        if (!has(i)) {
            return Gfp.GFP_KERNEL;
        }
        int gfp = Gfp.parse(arg(i));
        if (gfp < 0) {
            throw new CommandError("invalid GFP flags '" + arg(i) + "'");
        }
        return gfp;
    }

    /** Fails unless [addr, addr+len) lies in emulated memory. */
    public void checkMemory(long addr, long len) {
        if (!machine().mem().contains(addr, len)) {
            throw new CommandError(Addr.hex(addr) + (len > 1 ? "+" + len : "") + " is not in the direct map");
        }
    }
}
