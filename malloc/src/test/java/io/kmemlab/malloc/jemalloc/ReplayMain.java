package io.kmemlab.malloc.jemalloc;

import io.kmemlab.mm.testing.FlatUserSpace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Replays a plain .rep file and prints what replay.c prints under jemalloc (for comparing by hand). */
final class ReplayMain {
    private ReplayMain() {}

    public static void main(String[] args) throws Exception {
        List<String> rep = Files.readAllLines(Path.of(args[0]));
        Jemalloc je = new Jemalloc(new FlatUserSpace(), JemallocConfig.parse(args.length > 1 ? args[1] : ""));
        for (String l : TraceReplayer.replay(rep, je, args.length > 2 ? args[2] : "J")) {
            System.out.println(l);
        }
    }
}
