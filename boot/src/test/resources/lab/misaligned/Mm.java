import io.kmemlab.boot.lab.StudentMalloc;
import io.kmemlab.mm.user.UserSpace;

/** Broken on purpose: an 8-byte header in front of each block, so payloads are 8 mod 16. */
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
        long block = (size + 8 + 15) & -16L;
        if (mem.brk(old + block) != old + block) {
            return 0;
        }
        mem.writeU64(old, size);
        return old + 8;
    }

    @Override
    public void free(long ptr) {}

    @Override
    public long realloc(long ptr, long size) {
        long q = malloc(size);
        mem.copy(q, ptr, Math.min(size, mem.readU64(ptr - 8)));
        return q;
    }
}
