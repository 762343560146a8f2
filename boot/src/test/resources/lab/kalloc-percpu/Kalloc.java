import io.kmemlab.boot.lab.Kmem;
import io.kmemlab.boot.lab.StudentKalloc;

/** A solution of the lock lab, written as a student would: a list and a lock per CPU, stealing. */
public class Kalloc implements StudentKalloc {
    private Kmem.Lock[] locks;
    private int[] heads;
    private int[] next;

    @Override
    public void kinit(Kmem kmem) {
        int n = kmem.ncpu();
        locks = new Kmem.Lock[n];
        heads = new int[n];
        for (int c = 0; c < n; c++) {
            locks[c] = kmem.newLock("kmem-" + c);
            heads[c] = NO_PAGE;
        }
        next = new int[kmem.npages()];
    }

    @Override
    public void kfree(int cpu, int page) {
        locks[cpu].acquire();
        next[page] = heads[cpu];
        heads[cpu] = page;
        locks[cpu].release();
    }

    @Override
    public int kalloc(int cpu) {
        for (int i = 0; i < heads.length; i++) {
            int c = (cpu + i) % heads.length;
            locks[c].acquire();
            int page = heads[c];
            if (page != NO_PAGE) {
                heads[c] = next[page];
            }
            locks[c].release();
            if (page != NO_PAGE) {
                return page;
            }
        }
        return NO_PAGE;
    }
}
