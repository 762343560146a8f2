package io.kmemlab.boot.replay.source;

import io.kmemlab.mm.Gfp;
import io.kmemlab.mm.trace.Symbols;
import io.kmemlab.mm.trace.read.TraceLine;
import io.kmemlab.mm.trace.read.TraceOp;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * Built-in, seeded workloads that generate the same kind of event stream a kmem trace gives
 * (kmem_cache_alloc/free and kmalloc/kfree lines with a task, a CPU and a time), with the object
 * sizes of a Linux 6.18 x86-64 kernel as the shared capture shows them ({@code name bytes_req
 * bytes_alloc}). Same name, seed, length and CPU count → the same stream, event for event.
 */
public enum Workload {
    /** Process churn: fork, exec, exit (task_struct, mm_struct, VMAs, files, signals, creds, pids). */
    FORK("fork", "process churn: task_struct, mm_struct, vm_area_struct, files/signal/sighand, cred, pid"),
    /** File system churn: dentries, inodes, buffer heads, open files, path lookups. */
    FS("fs", "file churn: dentry, inode_cache, ext4_inode_cache, buffer_head, filp, names_cache"),
    /** Loopback networking: sockets and bursts of packets with kmalloc'd data. */
    NET("net", "sockets and packet bursts: TCP, skbuff_head_cache, kmalloc-512/1k/2k data"),
    /** kmalloc with the size and GFP distribution of the shared capture. */
    KMALLOC_MIX("kmalloc-mix", "kmalloc/kfree with the size distribution of the 6.18 capture"),
    /** All four interleaved: the default of {@code kmemlab compare}. */
    MIXED("mixed", "fork, fs, net and kmalloc-mix interleaved");

    private final String cliName;
    private final String description;

    Workload(String cliName, String description) {
        this.cliName = cliName;
        this.description = description;
    }

    public String cliName() {
        return cliName;
    }

    public String description() {
        return description;
    }

    /** The command-line name, as {@code --workload} takes it. */
    @Override
    public String toString() {
        return cliName;
    }

    public static Workload byName(String name) {
        for (Workload w : values()) {
            if (w.cliName.equals(name)) {
                return w;
            }
        }
        return null;
    }

    /** Names for help texts: {@code fork, fs, net, kmalloc-mix, mixed}. */
    public static String names() {
        StringBuilder sb = new StringBuilder();
        for (Workload w : values()) {
            if (sb.length() > 0) {
                sb.append(", ");
            }
            sb.append(w.cliName);
        }
        return sb.toString();
    }

    /** A source of {@code events} events of this workload. */
    public EventSource source(long seed, long events, int cpus) {
        return new Source(cliName, seed, events, cpus, () -> models(this));
    }

    /**
     * The teaching sequence of {@code kmemlab slob-fit}: {@code ops} kmalloc/kfree events on one
     * CPU, about three kmallocs of 1 … {@code maxSize} bytes (skewed towards small sizes, as kmalloc
     * traffic is) for every two kfrees of a random live object; whatever is live at the end stays
     * live. Same seed, length and size → the same stream.
     */
    public static EventSource kmallocSequence(long seed, long ops, int maxSize) {
        return new Source("kmalloc-sequence", seed, ops, 1, () -> List.of(new SequenceModel(maxSize)));
    }

    private static List<Model> models(Workload kind) {
        List<Model> models = new ArrayList<>();
        if (kind == FORK || kind == MIXED) {
            models.add(new ForkModel());
        }
        if (kind == FS || kind == MIXED) {
            models.add(new FsModel());
        }
        if (kind == NET || kind == MIXED) {
            models.add(new NetModel());
        }
        if (kind == KMALLOC_MIX || kind == MIXED) {
            models.add(new KmallocModel());
        }
        return models;
    }

    // --- object sizes -------------------------------------------------------------------------

    /** A cache as the capture's kmem_cache_alloc lines show it, with the call site that allocates. */
    record Obj(String name, int bytesReq, int bytesAlloc, String callSite) {}

    // name bytes_req bytes_alloc: from kmem-fork-net-6.18 (Linux 6.18, x86-64, SLUB).
    static final Obj TASK = new Obj("task_struct", 5824, 5824, "copy_process+0x1a5/0x1d80");
    static final Obj MM = new Obj("mm_struct", 1568, 1600, "dup_mm+0x27/0x5f0");
    static final Obj VMA = new Obj("vm_area_struct", 192, 192, "vm_area_dup+0x21/0xf0");
    static final Obj ANON_VMA = new Obj("anon_vma", 96, 104, "anon_vma_fork+0x68/0x160");
    static final Obj AVC = new Obj("anon_vma_chain", 64, 64, "anon_vma_clone+0x5e/0x1f0");
    static final Obj MAPLE = new Obj("maple_node", 256, 256, "mas_alloc_nodes+0xcd/0x220");
    static final Obj FILES = new Obj("files_cache", 704, 704, "dup_fd+0x2a/0x3b0");
    static final Obj SIGNAL = new Obj("signal_cache", 1152, 1152, "copy_process+0x8f6/0x1d80");
    static final Obj SIGHAND = new Obj("sighand_cache", 2080, 2112, "copy_process+0x85e/0x1d80");
    // cred_jar is merged into pid (same size and flags) on 6.18: the capture names it pid
    static final Obj CRED = new Obj("pid", 184, 192, "prepare_creds+0x1c/0x2e0");
    static final Obj PID = new Obj("pid", 184, 192, "alloc_pid+0x4d/0x5a0");
    static final Obj NAMES = new Obj("names_cache", 4096, 4096, "getname_flags.part.0+0x24/0x1f0");
    static final Obj DENTRY = new Obj("dentry", 192, 192, "__d_alloc+0x2d/0x230");
    static final Obj INODE = new Obj("inode_cache", 616, 624, "alloc_inode+0xa3/0xd0");
    static final Obj EXT4_INODE = new Obj("ext4_inode_cache", 1120, 1128, "ext4_alloc_inode+0x1a/0x180");
    static final Obj BH = new Obj("buffer_head", 104, 104, "alloc_buffer_head+0x21/0x110");
    static final Obj FILP = new Obj("filp", 184, 192, "alloc_empty_file+0x3c/0x110");
    static final Obj LSM_FILE = new Obj("lsm_file_cache", 24, 24, "security_file_alloc+0x27/0xd0");
    static final Obj RADIX = new Obj("radix_tree_node", 576, 584, "xas_alloc+0xab/0xe0");
    static final Obj EXTENT = new Obj("extent_status", 40, 40, "ext4_es_alloc_extent+0x2b/0x1b0");
    static final Obj SKB = new Obj("skbuff_head_cache", 224, 256, "__alloc_skb+0x9d/0x1e0");
    static final Obj SKB_SMALL = new Obj("skbuff_small_head", 576, 576, "__alloc_skb+0x1a8/0x1e0");
    static final Obj TCP = new Obj("TCP", 2304, 2368, "sk_prot_alloc+0x38/0x120");
    static final Obj SOCK_INODE = new Obj("sock_inode_cache", 768, 832, "alloc_inode+0xa3/0xd0");
    static final Obj REQ_SOCK = new Obj("request_sock_TCP", 312, 320, "inet_reqsk_alloc+0x2a/0x120");
    static final Obj TW_SOCK = new Obj("tw_sock_TCP", 248, 256, "inet_twsk_alloc+0x3c/0x190");
    static final Obj EPI = new Obj("eventpoll_epi", 120, 128, "ep_insert+0xb8/0x6e0");

    /**
     * kmalloc request sizes of the shared capture: {bytes_req, count} over all its 5,857 kmalloc
     * lines, derived once with
     * {@code xz -dc kmem-fork-net-6.18.txt.xz | grep ' kmalloc: ' | grep -o 'bytes_req=[0-9]*' | sort -n | uniq -c}.
     */
    static final int[][] KMALLOC_SIZES = {
        {11, 754},
        {13, 16},
        {24, 1},
        {28, 345},
        {32, 41},
        {40, 1},
        {48, 1},
        {50, 422},
        {51, 120},
        {52, 208},
        {53, 22},
        {54, 130},
        {55, 46},
        {56, 399},
        {57, 79},
        {58, 87},
        {59, 173},
        {60, 57},
        {61, 63},
        {62, 35},
        {63, 20},
        {64, 631},
        {65, 12},
        {66, 20},
        {67, 7},
        {68, 6},
        {69, 12},
        {70, 15},
        {71, 29},
        {72, 389},
        {73, 28},
        {74, 27},
        {75, 16},
        {76, 20},
        {77, 9},
        {78, 8},
        {79, 4},
        {80, 8},
        {81, 4},
        {82, 8},
        {83, 8},
        {84, 2},
        {85, 10},
        {86, 10},
        {87, 7},
        {88, 18},
        {89, 10},
        {90, 5},
        {91, 5},
        {92, 7},
        {93, 6},
        {94, 3},
        {96, 28},
        {97, 2},
        {98, 1},
        {99, 1},
        {100, 1},
        {108, 2},
        {112, 2},
        {128, 5},
        {168, 5},
        {176, 29},
        {208, 1},
        {255, 1},
        {408, 345},
        {504, 345},
        {640, 29},
        {728, 345},
        {1088, 1},
        {2048, 346},
        {4096, 4},
    };

    /** kmalloc GFP masks of the capture with their counts (same derivation, gfp_flags=). */
    static final int[][] KMALLOC_GFP = {
        {Gfp.GFP_KERNEL | Gfp.__GFP_ZERO, 2546}, {Gfp.GFP_KERNEL, 1416}, {Gfp.GFP_KERNEL_ACCOUNT, 1040},
        {Gfp.GFP_KERNEL_ACCOUNT | Gfp.__GFP_ZERO, 750}, {Gfp.GFP_ATOMIC, 63}, {Gfp.GFP_NOFS | Gfp.__GFP_ZERO, 25},
        {Gfp.GFP_KERNEL_ACCOUNT | Gfp.__GFP_RECLAIMABLE, 3},
    };

    /** SLUB 6.18's kmalloc bucket for a size (kmalloc_slab), or whole pages above 8 KiB. */
    static long kmallocBucket(long size) {
        if (size <= 8) {
            return 8;
        }
        if (size > 64 && size <= 96) {
            return 96;
        }
        if (size > 128 && size <= 192) {
            return 192;
        }
        if (size > 8192) {
            long pages = (size + 4095) >>> 12;
            return Long.highestOneBit(pages - 1) << 13;
        }
        return Long.highestOneBit(size - 1) << 1;
    }

    // --- generation -------------------------------------------------------------------------------

    private static final class Source implements EventSource {
        private final String name;
        private final long seed;
        private final long events;
        private final int cpus;
        private final Supplier<List<Model>> models;

        Source(String name, long seed, long events, int cpus, Supplier<List<Model>> models) {
            this.name = name;
            this.seed = seed;
            this.events = events;
            this.cpus = Math.max(1, cpus);
            this.models = models;
        }

        @Override
        public String name() {
            return String.format(Locale.ROOT, "workload:%s (seed %d, %d events, %d CPUs)", name, seed, events, cpus);
        }

        @Override
        public String format() {
            return "workload";
        }

        @Override
        public int cpus() {
            return cpus;
        }

        @Override
        public Stream open(Symbols symbols) {
            return new Generator(models.get(), seed, events, cpus, symbols);
        }
    }

    /** Queues the events of one step (a fork, a burst…) and hands them out one at a time. */
    private static final class Generator implements EventSource.Stream {
        private final long limit;
        private final int cpus;
        private final Symbols symbols;
        private final SplittableRandom random;
        private final List<Model> models;
        private final Queue queue = new Queue();
        private long emitted;
        private long nanos = 1_000_000_000L;
        private long nextPtr = 1;
        private int turn;

        Generator(List<Model> models, long seed, long limit, int cpus, Symbols symbols) {
            this.models = models;
            this.limit = limit;
            this.cpus = cpus;
            this.symbols = symbols;
            this.random = new SplittableRandom(seed);
        }

        @Override
        public boolean next(TraceLine out) {
            if (emitted >= limit) {
                return false;
            }
            while (queue.isEmpty()) {
                Model m = models.get(turn++ % models.size());
                m.step(this);
            }
            queue.pop(this, out);
            emitted++;
            return true;
        }

        @Override
        public long lineNo() {
            return emitted;
        }

        @Override
        public long nonEventLines() {
            return 0;
        }

        @Override
        public Map<String, Long> otherEvents() {
            return Map.of();
        }

        @Override
        public double progress() {
            return (double) emitted / limit;
        }

        @Override
        public void close() {}

        long newPtr() {
            // Synthetic, unique, never NULL; 16-byte steps like kernel objects.
            return (nextPtr++) << 4;
        }

        int cpu() {
            return random.nextInt(cpus);
        }

        long callSite(String pS) {
            int plus = pS.indexOf('+');
            int slash = pS.indexOf('/');
            return symbols.intern(
                    pS.substring(0, plus),
                    Integer.parseInt(pS.substring(plus + 3, slash), 16),
                    Integer.parseInt(pS.substring(slash + 3), 16));
        }

        void alloc(Task t, Obj o, long ptr) {
            queue.push(TraceOp.KMEM_CACHE_ALLOC, t, o, ptr, o.bytesReq, o.bytesAlloc, Gfp.GFP_KERNEL, tick());
        }

        void free(Task t, Obj o, long ptr) {
            queue.push(TraceOp.KMEM_CACHE_FREE, t, o, ptr, 0, 0, 0, tick());
        }

        void kmalloc(Task t, long ptr, long size, int gfp) {
            queue.push(TraceOp.KMALLOC, t, null, ptr, size, kmallocBucket(size), gfp, tick());
        }

        void kfree(Task t, long ptr) {
            queue.push(TraceOp.KFREE, t, null, ptr, 0, 0, 0, tick());
        }

        private long tick() {
            // Whole microseconds, the resolution of a trace line, so an emitted trace replays exactly.
            nanos += 1_000L * (1 + random.nextInt(19));
            return nanos;
        }
    }

    /** Who runs an event: task name, pid, CPU. */
    private record Task(String comm, int pid, int cpu) {}

    /** Pending events of the current step. */
    private static final class Queue {
        private final List<Object[]> items = new ArrayList<>();
        private int head;

        boolean isEmpty() {
            return head == items.size();
        }

        void push(TraceOp op, Task t, Obj o, long ptr, long req, long alloc, int gfp, long nanos) {
            items.add(new Object[] {op, t, o, ptr, req, alloc, gfp, nanos});
        }

        void pop(Generator g, TraceLine out) {
            Object[] e = items.get(head++);
            if (head == items.size()) {
                items.clear();
                head = 0;
            }
            TraceOp op = (TraceOp) e[0];
            Task t = (Task) e[1];
            Obj o = (Obj) e[2];
            String site = o != null
                    ? o.callSite
                    : op == TraceOp.KMALLOC ? "__kmalloc_noprof+0x1b9/0x4b0" : "kfree+0x8a/0x320";
            out.setEvent(op, g.emitted + 1, t.comm, t.pid, t.cpu, (Long) e[7]);
            out.setObject(
                    g.callSite(site), (Long) e[3], o == null ? null : o.name, (Long) e[4], (Long) e[5], (Integer) e[6]);
        }
    }

    /** One modelled subsystem: each step queues a few events. */
    private interface Model {
        void step(Generator g);
    }

    /** A group of objects that live and die together (a process, a file, a socket). */
    private static final class Group {
        final List<Obj> objs = new ArrayList<>();
        final List<Long> ptrs = new ArrayList<>();
        final Task task;

        Group(Task task) {
            this.task = task;
        }

        void add(Generator g, Obj o) {
            long p = g.newPtr();
            objs.add(o);
            ptrs.add(p);
            g.alloc(task, o, p);
        }

        void freeAll(Generator g, Task who) {
            for (int i = objs.size() - 1; i >= 0; i--) {
                g.free(who, objs.get(i), ptrs.get(i));
            }
        }
    }

    private static Group removeRandom(List<Group> live, SplittableRandom r) {
        int i = r.nextInt(live.size());
        Group last = live.remove(live.size() - 1);
        if (i < live.size()) {
            Group g = live.get(i);
            live.set(i, last);
            return g;
        }
        return last;
    }

    private static final String[] COMMS = {"sh", "bash", "curl", "python3", "true", "seq", "ls", "sort"};

    private static final class ForkModel implements Model {
        private final List<Group> live = new ArrayList<>();
        private int nextPid = 16_000;

        @Override
        public void step(Generator g) {
            SplittableRandom r = g.random;
            int target = 150;
            if (live.isEmpty() || (live.size() < target * 2 && r.nextInt(100) < (live.size() < target ? 60 : 45))) {
                Task parent = new Task(COMMS[r.nextInt(COMMS.length)], nextPid, g.cpu());
                Group p = new Group(new Task(parent.comm(), ++nextPid, parent.cpu()));
                // copy_process → dup_task_struct, copy_creds, copy_files, copy_sighand, copy_signal, copy_mm
                p.add(g, TASK);
                p.add(g, CRED);
                p.add(g, FILES);
                p.add(g, SIGHAND);
                p.add(g, SIGNAL);
                p.add(g, MM);
                int vmas = 15 + r.nextInt(50);
                for (int i = 0; i < vmas; i++) {
                    p.add(g, VMA);
                    if (i % 3 == 0) {
                        p.add(g, ANON_VMA);
                    }
                    p.add(g, AVC);
                    if (i % 8 == 0) {
                        p.add(g, MAPLE);
                    }
                }
                p.add(g, PID);
                // exec: a transient path name.
                long name = g.newPtr();
                g.alloc(p.task, NAMES, name);
                g.free(p.task, NAMES, name);
                live.add(p);
            } else {
                Group p = removeRandom(live, r);
                p.freeAll(g, new Task(p.task.comm(), p.task.pid(), g.cpu()));
            }
        }
    }

    private static final class FsModel implements Model {
        private final List<Group> files = new ArrayList<>();

        @Override
        public void step(Generator g) {
            SplittableRandom r = g.random;
            Task t = new Task(COMMS[r.nextInt(COMMS.length)], 17_000 + r.nextInt(500), g.cpu());
            int op = r.nextInt(100);
            if (files.size() < 200 || (op < 30 && files.size() < 3000)) {
                Group f = new Group(t);
                f.add(g, DENTRY);
                f.add(g, r.nextInt(10) == 0 ? INODE : EXT4_INODE);
                int bhs = r.nextInt(4);
                for (int i = 0; i < bhs; i++) {
                    f.add(g, BH);
                }
                if (r.nextInt(4) == 0) {
                    f.add(g, EXTENT);
                }
                if (r.nextInt(16) == 0) {
                    f.add(g, RADIX);
                }
                files.add(f);
            } else if (op < 75) {
                // open + close: path lookup, a struct file and its LSM blob.
                long name = g.newPtr();
                long filp = g.newPtr();
                long lsm = g.newPtr();
                g.alloc(t, NAMES, name);
                g.alloc(t, FILP, filp);
                g.alloc(t, LSM_FILE, lsm);
                g.free(t, NAMES, name);
                g.free(t, LSM_FILE, lsm);
                g.free(t, FILP, filp);
            } else if (op < 90 && files.size() < 3000) {
                long name = g.newPtr();
                g.alloc(t, NAMES, name);
                g.free(t, NAMES, name);
            } else {
                // Reclaim evicts a few cold files.
                int n = 1 + r.nextInt(Math.min(16, files.size()));
                for (int i = 0; i < n; i++) {
                    removeRandom(files, r).freeAll(g, t);
                }
            }
        }
    }

    private static final class NetModel implements Model {
        private final List<Group> sockets = new ArrayList<>();
        private final List<long[]> inflight = new ArrayList<>();

        @Override
        public void step(Generator g) {
            SplittableRandom r = g.random;
            Task t = new Task("curl", 16_600 + r.nextInt(300), g.cpu());
            int op = r.nextInt(100);
            if (op < 8 || sockets.size() < 4) {
                Group s = new Group(t);
                s.add(g, SOCK_INODE);
                s.add(g, TCP);
                s.add(g, EPI);
                long req = g.newPtr();
                g.alloc(t, REQ_SOCK, req);
                g.free(t, REQ_SOCK, req);
                sockets.add(s);
            } else if (op < 14 && sockets.size() > 4) {
                Group s = removeRandom(sockets, r);
                long tw = g.newPtr();
                g.alloc(t, TW_SOCK, tw);
                s.freeAll(g, t);
                g.free(t, TW_SOCK, tw);
            } else if (op < 70 && inflight.size() < 1024) {
                // A burst: skb heads with kmalloc'd data (kmalloc-512/1k/2k) or a small head.
                int n = 1 + r.nextInt(24);
                for (int i = 0; i < n; i++) {
                    long head = g.newPtr();
                    long data = g.newPtr();
                    g.alloc(t, SKB, head);
                    int kind = r.nextInt(10);
                    if (kind < 4) {
                        g.alloc(t, SKB_SMALL, data);
                        inflight.add(new long[] {head, data, 0});
                    } else {
                        long size = kind < 6
                                ? 320 + r.nextInt(192)
                                : kind < 8 ? 640 + r.nextInt(384) : 1280 + r.nextInt(768);
                        g.kmalloc(t, data, size, Gfp.GFP_ATOMIC | Gfp.__GFP_NOWARN);
                        inflight.add(new long[] {head, data, 1});
                    }
                }
            } else {
                // Delivery frees the oldest packets first.
                int n = Math.min(inflight.size(), 1 + r.nextInt(32));
                for (int i = 0; i < n; i++) {
                    long[] p = inflight.remove(0);
                    if (p[2] == 0) {
                        g.free(t, SKB_SMALL, p[1]);
                    } else {
                        g.kfree(t, p[1]);
                    }
                    g.free(t, SKB, p[0]);
                }
            }
        }
    }

    private static final class KmallocModel implements Model {
        private static final int SIZE_TOTAL = total(KMALLOC_SIZES);
        private static final int GFP_TOTAL = total(KMALLOC_GFP);
        private final List<Long> live = new ArrayList<>();

        @Override
        public void step(Generator g) {
            SplittableRandom r = g.random;
            Task t = new Task(COMMS[r.nextInt(COMMS.length)], 18_000 + r.nextInt(800), g.cpu());
            if (live.size() < 64 || (r.nextInt(100) < (live.size() < 4000 ? 55 : 40))) {
                long p = g.newPtr();
                g.kmalloc(t, p, pick(KMALLOC_SIZES, SIZE_TOTAL, r), pick(KMALLOC_GFP, GFP_TOTAL, r));
                live.add(p);
            } else {
                int i = r.nextInt(live.size());
                long p = live.get(i);
                live.set(i, live.get(live.size() - 1));
                live.remove(live.size() - 1);
                g.kfree(t, p);
            }
        }

        private static int total(int[][] table) {
            int s = 0;
            for (int[] e : table) {
                s += e[1];
            }
            return s;
        }

        private static int pick(int[][] table, int total, SplittableRandom r) {
            int x = r.nextInt(total);
            for (int[] e : table) {
                x -= e[1];
                if (x < 0) {
                    return e[0];
                }
            }
            return table[table.length - 1][0];
        }
    }

    /** {@link #kmallocSequence}: one kmalloc or kfree a step. */
    private static final class SequenceModel implements Model {
        private final int maxSize;
        private final List<Long> live = new ArrayList<>();

        SequenceModel(int maxSize) {
            this.maxSize = maxSize;
        }

        @Override
        public void step(Generator g) {
            SplittableRandom r = g.random;
            Task t = new Task("slob-fit", 1, 0);
            if (!live.isEmpty() && r.nextInt(5) < 2) {
                g.kfree(t, live.remove(r.nextInt(live.size())));
            } else {
                int bound = r.nextInt(4) == 0 ? maxSize : Math.max(1, maxSize / 16);
                long p = g.newPtr();
                g.kmalloc(t, p, 1 + r.nextInt(bound), Gfp.GFP_KERNEL);
                live.add(p);
            }
        }
    }
}
