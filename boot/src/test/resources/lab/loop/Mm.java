import io.kmemlab.boot.lab.StudentMalloc;
import io.kmemlab.mm.user.UserSpace;

/**
 * Broken on purpose: free links the block to itself instead of to the old list head, so the
 * first malloc that searches the free list for a fit goes round forever.
 */
public class Mm implements StudentMalloc {
    private UserSpace mem;
    private long head;

    @Override
    public boolean init(UserSpace mem) {
        this.mem = mem;
        return true;
    }

    @Override
    public long malloc(long size) {
        long block = (size + 16 + 15) & -16L;
        for (long b = head; b != 0; b = mem.readU64(b)) {
            if (mem.readU64(b - 8) >= block) {
                return b; // never unlinked: the lab stops it earlier anyway
            }
        }
        long old = mem.brkAddress();
        if (mem.brk(old + block) != old + block) {
            return 0;
        }
        mem.writeU64(old + 8, block);
        return old + 16;
    }

    @Override
    public void free(long ptr) {
        mem.writeU64(ptr, ptr);
        head = ptr;
    }

    @Override
    public long realloc(long ptr, long size) {
        return malloc(size);
    }
}
