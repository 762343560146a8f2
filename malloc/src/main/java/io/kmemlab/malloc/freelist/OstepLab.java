package io.kmemlab.malloc.freelist;

import io.kmemlab.mm.user.UserHeapLab;
import java.io.PrintStream;
import java.util.List;

/**
 * {@code kmemlab malloc ostep ARGS…}: OSTEP's {@code malloc.py} with its own options, parsed as
 * Python's optparse parses them ({@code -n 10}, {@code -n10}, {@code --numOps=10}, {@code --numOps
 * 10}, flags grouped as {@code -cC}); see {@link OstepMalloc} for what it prints and where it
 * differs on purpose.
 */
public final class OstepLab implements UserHeapLab {

    static final String USAGE = "Usage: kmemlab malloc ostep [options]";

    private static final String HELP = USAGE + "\n\n" + """
            Options:
              -h, --help            show this help message and exit
              -s SEED, --seed=SEED  the random seed
              -S HEAPSIZE, --size=HEAPSIZE
                                    size of the heap
              -b BASEADDR, --baseAddr=BASEADDR
                                    base address of heap
              -H HEADERSIZE, --headerSize=HEADERSIZE
                                    size of the header
              -a ALIGNMENT, --alignment=ALIGNMENT
                                    align allocated units to size; -1->no align
              -p POLICY, --policy=POLICY
                                    list search (BEST, WORST, FIRST, NEXT)
              -l ORDER, --listOrder=ORDER
                                    list order (ADDRSORT, SIZESORT+, SIZESORT-, INSERT-FRONT,
                                    INSERT-BACK)
              -C, --coalesce        coalesce the free list?
              -n OPSNUM, --numOps=OPSNUM
                                    number of random ops to generate
              -r OPSRANGE, --range=OPSRANGE
                                    max alloc size
              -P OPSPALLOC, --percentAlloc=OPSPALLOC
                                    percent of ops that are allocs
              -A OPSLIST, --allocList=OPSLIST
                                    instead of random, list of ops (+10,-0,etc)
              -c, --compute         compute answers for me
            """;

    @Override
    public String name() {
        return "ostep";
    }

    @Override
    public String description() {
        return "OSTEP's vm-freespace/malloc.py: free-list exercises with its options and output";
    }

    @Override
    public int run(List<String> argv, PrintStream out, PrintStream err) {
        OstepMalloc.Args a;
        try {
            a = parse(argv);
        } catch (UsageException e) {
            err.print(USAGE + "\n\nkmemlab malloc ostep: error: " + e.getMessage() + "\n");
            return 2;
        }
        if (a == null) {
            out.print(HELP);
            return 0;
        }
        try {
            out.print(OstepMalloc.run(a));
            return 0;
        } catch (IllegalArgumentException e) {
            err.print("kmemlab malloc ostep: " + e.getMessage() + "\n");
            return 2;
        }
    }

    /** A command line optparse would refuse. */
    static final class UsageException extends Exception {
        UsageException(String message) {
            super(message);
        }
    }

    private static final String[][] OPTIONS = {
        // short, long, takes a value
        {"s", "seed", "int"},
        {"S", "size", "int"},
        {"b", "baseAddr", "int"},
        {"H", "headerSize", "int"},
        {"a", "alignment", "int"},
        {"p", "policy", "string"},
        {"l", "listOrder", "string"},
        {"C", "coalesce", ""},
        {"n", "numOps", "int"},
        {"r", "range", "int"},
        {"P", "percentAlloc", "int"},
        {"A", "allocList", "string"},
        {"c", "compute", ""},
        {"h", "help", ""},
    };

    /** The options, or null for {@code -h}. */
    static OstepMalloc.Args parse(List<String> argv) throws UsageException {
        OstepMalloc.Args d = OstepMalloc.Args.defaults();
        String[] v = {
            Long.toString(d.seed()),
            Long.toString(d.heapSize()),
            Long.toString(d.baseAddr()),
            Long.toString(d.headerSize()),
            Long.toString(d.alignment()),
            d.policy(),
            d.order(),
            null,
            Long.toString(d.numOps()),
            Long.toString(d.range()),
            Long.toString(d.percentAlloc()),
            d.allocList(),
            null,
            null
        };
        boolean[] set = new boolean[OPTIONS.length];
        for (int i = 0; i < argv.size(); i++) {
            String arg = argv.get(i);
            if (arg.startsWith("--") && arg.length() > 2) {
                String name = arg.substring(2);
                String value = null;
                int eq = name.indexOf('=');
                if (eq >= 0) {
                    value = name.substring(eq + 1);
                    name = name.substring(0, eq);
                }
                int k = longOption(name);
                if (k < 0) {
                    throw new UsageException("no such option: --" + name);
                }
                if (OPTIONS[k][2].isEmpty()) {
                    if (value != null) {
                        throw new UsageException("--" + OPTIONS[k][1] + " option does not take a value");
                    }
                    set[k] = true;
                } else {
                    if (value == null) {
                        if (++i >= argv.size()) {
                            throw new UsageException("--" + OPTIONS[k][1] + " option requires an argument");
                        }
                        value = argv.get(i);
                    }
                    v[k] = value;
                }
            } else if (arg.startsWith("-") && arg.length() > 1) {
                for (int c = 1; c < arg.length(); c++) {
                    int k = shortOption(arg.charAt(c));
                    if (k < 0) {
                        throw new UsageException("no such option: -" + arg.charAt(c));
                    }
                    if (OPTIONS[k][2].isEmpty()) {
                        set[k] = true;
                        continue;
                    }
                    String value;
                    if (c + 1 < arg.length()) {
                        value = arg.substring(c + 1);
                    } else if (++i < argv.size()) {
                        value = argv.get(i);
                    } else {
                        throw new UsageException("-" + arg.charAt(c) + " option requires an argument");
                    }
                    v[k] = value;
                    break;
                }
            }
            // optparse leaves positional arguments to the program, which ignores them
        }
        if (set[13]) {
            return null;
        }
        return new OstepMalloc.Args(
                integer(v, 0),
                integer(v, 1),
                integer(v, 2),
                integer(v, 3),
                integer(v, 4),
                v[5],
                v[6],
                set[7],
                integer(v, 8),
                integer(v, 9),
                integer(v, 10),
                v[11],
                set[12]);
    }

    private static int longOption(String name) {
        int found = -1;
        for (int k = 0; k < OPTIONS.length; k++) {
            if (OPTIONS[k][1].equals(name)) {
                return k;
            }
            // optparse accepts an unambiguous prefix of a long option
            if (OPTIONS[k][1].startsWith(name) && !name.isEmpty()) {
                if (found >= 0) {
                    return -1;
                }
                found = k;
            }
        }
        return found;
    }

    private static int shortOption(char c) {
        for (int k = 0; k < OPTIONS.length; k++) {
            if (OPTIONS[k][0].charAt(0) == c) {
                return k;
            }
        }
        return -1;
    }

    private static long integer(String[] v, int k) throws UsageException {
        String t = v[k].trim();
        try {
            // optparse's int type: Python int() with base detection for 0x/0o/0b
            String l = t.toLowerCase();
            boolean neg = l.startsWith("-");
            String body = neg || l.startsWith("+") ? l.substring(1) : l;
            long n;
            if (body.startsWith("0x")) {
                n = Long.parseLong(body.substring(2), 16);
            } else if (body.startsWith("0o")) {
                n = Long.parseLong(body.substring(2), 8);
            } else if (body.startsWith("0b")) {
                n = Long.parseLong(body.substring(2), 2);
            } else {
                n = Long.parseLong(body.replace("_", ""));
            }
            return neg ? -n : n;
        } catch (NumberFormatException e) {
            throw new UsageException("option -" + OPTIONS[k][0] + ": invalid integer value: '" + v[k] + "'");
        }
    }
}
