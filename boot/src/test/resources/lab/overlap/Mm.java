import io.kmemlab.boot.lab.StudentMalloc;
import io.kmemlab.mm.user.UserSpace;

/**
 * Broken on purpose: hands the last freed block to every later malloc that fits in it, and never
 * takes it off its one-element free list, so it hands the same block out twice.
 */
public class Mm implements StudentMalloc {
    private UserSpace mem;
    private long lastFreed;

    @Override
    public boolean init(UserSpace mem) {
        this.mem = mem;
        return true;
    }

    @Override
    public long malloc(long size) {
        if (lastFreed != 0 && mem.readU64(lastFreed - 8) >= size) {
            return lastFreed;
        }
        long old = mem.brkAddress();
        long block = (size + 16 + 15) & -16L;
        if (mem.brk(old + block) != old + block) {
            return 0;
        }
        mem.writeU64(old + 8, size);
        return old + 16;
    }

    @Override
    public void free(long ptr) {
        lastFreed = ptr;
    }

    @Override
    public long realloc(long ptr, long size) {
        long q = malloc(size);
        free(ptr);
        return q;
    }
}
