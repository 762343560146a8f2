import io.kmemlab.boot.lab.StudentMalloc;
import io.kmemlab.mm.user.UserSpace;

/** Broken on purpose: writes each block's footer one block-size too far, past the break. */
public class Mm implements StudentMalloc {
    private UserSpace mem;

    @Override
    public boolean init(UserSpace mem) {
        this.mem = mem;
        return true;
    }

    @Override
    public long malloc(long size) {
        long old = mem.brkAddress();
        long block = (size + 16 + 15) & -16L;
        if (mem.brk(old + block) != old + block) {
            return 0;
        }
        mem.writeU64(old + block, block);
        return old + 16;
    }

    @Override
    public void free(long ptr) {}

    @Override
    public long realloc(long ptr, long size) {
        return malloc(size);
    }
}
