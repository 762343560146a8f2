import io.kmemlab.boot.lab.StudentMalloc;
import io.kmemlab.mm.user.UserSpace;

/** Broken on purpose: the third malloc spins without touching memory, so only the clock stops it. */
public class Mm implements StudentMalloc {
    private UserSpace mem;
    private volatile long spins;
    private int calls;

    @Override
    public boolean init(UserSpace mem) {
        this.mem = mem;
        return true;
    }

    @Override
    public long malloc(long size) {
        if (++calls == 3) {
            while (spins >= 0) {
                spins++;
            }
        }
        long old = mem.brkAddress();
        long block = (size + 16 + 15) & -16L;
        return mem.brk(old + block) == old + block ? old + 16 : 0;
    }

    @Override
    public void free(long ptr) {}

    @Override
    public long realloc(long ptr, long size) {
        return malloc(size);
    }
}
