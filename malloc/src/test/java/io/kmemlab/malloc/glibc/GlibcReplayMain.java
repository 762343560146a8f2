package io.kmemlab.malloc.glibc;

import io.kmemlab.malloc.testkit.FastUserSpace;
import io.kmemlab.malloc.testkit.RepTrace;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A developer's command for making new golden files: {@code GlibcReplayMain TRACE.rep [key=value
 * ...]} prints what replay.c prints, through the emulation, to compare with the real library's
 * output on another trace. Not a test.
 */
public final class GlibcReplayMain {
    private GlibcReplayMain() {}

    public static void main(String[] args) throws IOException {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 1; i < args.length; i++) {
            int eq = args[i].indexOf('=');
            options.put(args[i].substring(0, eq), args[i].substring(eq + 1));
        }
        RepTrace t;
        try (InputStream in = new FileInputStream(args[0])) {
            t = RepTrace.read(in);
        }
        FastUserSpace space = new FastUserSpace();
        GlibcMalloc g = GlibcOptions.parse(options).build(space);
        StringBuilder out = new StringBuilder();
        t.replay(g, space.startBrk(), g::isMmappedChunk, out);
        out.append(g.statsText());
        System.out.print(out);
        for (String s : g.validate()) {
            System.err.println("validate: " + s);
        }
        for (String s : space.stderr()) {
            System.err.println("stderr: " + s);
        }
    }
}
