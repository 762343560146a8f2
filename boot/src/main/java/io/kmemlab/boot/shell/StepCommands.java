package io.kmemlab.boot.shell;

import io.kmemlab.boot.step.KernelStepper;
import io.kmemlab.boot.step.StepOptions;
import io.kmemlab.boot.step.StepView;
import io.kmemlab.boot.step.UserStepText;
import io.kmemlab.mm.Addr;
import io.kmemlab.mm.user.UserAllocator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * {@code step on [VIEW]}, {@code step off}, {@code step}: while stepping is on, every allocation
 * and free the shell runs is followed by the state it changed, as {@code replay --step} prints it
 * ({@link KernelStepper}): the block's free lists and split tree for {@code alloc_pages} and
 * {@code __free_pages}, the object's slab for {@code kmalloc}, {@code kfree}, {@code kmem_cache_*},
 * and the current process's free list(s) ({@link UserStepText}) for {@code malloc}, {@code free},
 * {@code realloc}, {@code calloc}, {@code memalign}.
 */
final class StepCommands {
    /** What a stepped command touches and where its address comes from. */
    private enum Kind {
        PAGES_RESULT,
        PAGES_ARG,
        OBJECT_RESULT,
        OBJECT_ARG0,
        OBJECT_ARG1,
        REALLOC,
        USER
    }

    private static final Map<String, Kind> STEPPED = Map.ofEntries(
            Map.entry("alloc_pages", Kind.PAGES_RESULT),
            Map.entry("__free_pages", Kind.PAGES_ARG),
            Map.entry("release_pages", Kind.PAGES_ARG),
            Map.entry("kmalloc", Kind.OBJECT_RESULT),
            Map.entry("kzalloc", Kind.OBJECT_RESULT),
            Map.entry("kmalloc_array", Kind.OBJECT_RESULT),
            Map.entry("kcalloc", Kind.OBJECT_RESULT),
            Map.entry("kmem_cache_alloc", Kind.OBJECT_RESULT),
            Map.entry("kmem_cache_alloc_from_sheaf", Kind.OBJECT_RESULT),
            Map.entry("krealloc", Kind.REALLOC),
            Map.entry("kfree", Kind.OBJECT_ARG0),
            Map.entry("kmem_cache_free", Kind.OBJECT_ARG1),
            Map.entry("malloc", Kind.USER),
            Map.entry("free", Kind.USER),
            Map.entry("realloc", Kind.USER),
            Map.entry("calloc", Kind.USER),
            Map.entry("memalign", Kind.USER));

    private final Shell sh;
    /** The current process's user-space allocator by pid, or null (from {@link MallocCommands}). */
    private IntFunction<UserAllocator> userAllocators = pid -> null;

    private KernelStepper stepper;
    private final Map<Integer, UserStepText> userSteps = new HashMap<>();

    private StepCommands(Shell sh) {
        this.sh = sh;
    }

    static StepCommands register(Shell sh) {
        StepCommands s = new StepCommands(sh);
        sh.register(ShellCommand.of(
                "step",
                "step [on [buddy|slab|all|CACHE]|off]",
                "after every allocation and free, print the state it changed (free lists, split tree, slab slots)",
                s::command));
        return s;
    }

    void setUserAllocators(IntFunction<UserAllocator> byPid) {
        this.userAllocators = byPid;
    }

    private Result command(Invocation inv) {
        inv.expectArgs(0, 2);
        if (!inv.has(0)) {
            return Result.text(
                    stepper == null
                            ? "step off\n"
                            : "step on " + stepper.options().view() + "\n");
        }
        switch (inv.arg(0)) {
            case "on" -> {
                StepView view = inv.has(1) ? StepView.parse(inv.arg(1)) : StepView.ALL;
                stepper = new KernelStepper(
                        inv.machine(),
                        inv.kernel().slab() == null ? null : inv.kernel().slab().allocator(),
                        StepOptions.of(view, Long.MAX_VALUE));
                userSteps.clear();
                return Result.NONE;
            }
            case "off" -> {
                if (inv.has(1)) {
                    inv.expectArgs(1, 1);
                }
                stepper = null;
                return Result.NONE;
            }
            default -> throw new CommandError("usage: step [on [buddy|slab|all|CACHE]|off]");
        }
    }

    /** Before a statement runs: what its step needs from before (null when not stepping it). */
    Object before(Statement st) {
        Kind k = stepper == null ? null : STEPPED.get(st.name());
        if (k == null) {
            return null;
        }
        long freed = switch (k) {
            case OBJECT_ARG0, REALLOC -> address(st.args(), 0);
            case OBJECT_ARG1 -> address(st.args(), 1);
            default -> 0;
        };
        return stepper.before(freed);
    }

    /** After a statement succeeded with {@code result}: its step's text, or "" (not stepping it). */
    String after(Statement st, Object before, Result result) {
        Kind k = stepper == null || before == null ? null : STEPPED.get(st.name());
        if (k == null) {
            return "";
        }
        String header = "step: " + String.join(" ", st.words());
        long got = result instanceof Result.Address a ? a.addr() : 0;
        KernelStepper.Before b = (KernelStepper.Before) before;
        switch (k) {
            case PAGES_RESULT -> {
                return stepper.afterPages(header, Addr.virtToPfn(got), number(st.args(), 0));
            }
            case PAGES_ARG -> {
                long addr = address(st.args(), 0);
                int order = st.name().equals("__free_pages") ? number(st.args(), 1) : 0;
                return stepper.afterPages(header, Addr.virtToPfn(addr), order);
            }
            case OBJECT_RESULT, REALLOC -> {
                return stepper.afterObject(header, b, got, cacheArg(st));
            }
            case OBJECT_ARG0 -> {
                return stepper.afterObject(header, b, address(st.args(), 0), null);
            }
            case OBJECT_ARG1 -> {
                return stepper.afterObject(
                        header, b, address(st.args(), 1), st.args().get(0));
            }
            default -> {
                return userStep(header);
            }
        }
    }

    private String userStep(String header) {
        io.kmemlab.proc.Process p = sh.kernel().processes().current();
        UserAllocator a = p == null ? null : userAllocators.apply(p.pid());
        if (a == null) {
            return "";
        }
        UserStepText t = userSteps.computeIfAbsent(p.pid(), pid -> new UserStepText(StepOptions.DEFAULT_LIST_LIMIT));
        return header + "\n" + t.after(a);
    }

    private static String cacheArg(Statement st) {
        return st.name().startsWith("kmem_cache_") && !st.args().isEmpty()
                ? st.args().get(0)
                : null;
    }

    /** Argument {@code i} as a small number (an order the command accepted), or 0. */
    private static int number(List<String> args, int i) {
        Long v = i < args.size() ? Invocation.parseLongOrNull(args.get(i)) : null;
        return v == null ? 0 : (int) (long) v;
    }

    /** Argument {@code i} as an address ($vars resolved), or 0 if it is missing or not one. */
    private long address(List<String> args, int i) {
        if (i >= args.size()) {
            return 0;
        }
        try {
            return sh.resolveAddress(args.get(i));
        } catch (CommandError e) {
            return 0;
        }
    }
}
