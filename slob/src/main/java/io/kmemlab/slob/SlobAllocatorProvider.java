package io.kmemlab.slob;

import io.kmemlab.mm.Machine;
import io.kmemlab.mm.slab.SlabAllocator;
import java.util.Map;
import java.util.Set;

/**
 * {@code slab=slob}. Boot word: {@code slob_fit=first|next|best|worst} (a kmemlab extension;
 * first fit is the kernel's behaviour and the default).
 */
public final class SlobAllocatorProvider implements io.kmemlab.mm.slab.SlabAllocatorProvider {
    /** The boot word choosing the fit policy. */
    public static final String FIT_WORD = "slob_fit";

    @Override
    public String name() {
        return "slob";
    }

    @Override
    public Set<String> bootWords() {
        return Set.of(FIT_WORD);
    }

    @Override
    public SlabAllocator create(Machine machine, Map<String, String> words) {
        SlobSettings settings = SlobSettings.DEFAULT;
        String fitWord = words.get(FIT_WORD);
        if (fitWord != null) {
            SlobFit fit = SlobFit.parse(fitWord);
            if (fit == null) {
                throw new IllegalArgumentException(
                        "slob_fit=" + fitWord + ": unknown fit policy (first, next, best, worst)");
            }
            settings = settings.withFit(fit);
        }
        return new SlobAllocator(machine, settings);
    }
}
