import io.kmemlab.boot.lab.StudentMalloc;
import io.kmemlab.mm.user.UserSpace;

/** Broken on purpose: free uses a table it never created. */
public class Mm implements StudentMalloc {
    private UserSpace mem;
    private long[] freeTable;

    @Override
    public boolean init(UserSpace mem) {
        this.mem = mem;
        return true;
    }

    @Override
    public long malloc(long size) {
        long old = mem.brkAddress();
        long block = (size + 16 + 15) & -16L;
        return mem.brk(old + block) == old + block ? old + 16 : 0;
    }

    @Override
    public void free(long ptr) {
        freeTable[0] = ptr;
    }

    @Override
    public long realloc(long ptr, long size) {
        return malloc(size);
    }
}
