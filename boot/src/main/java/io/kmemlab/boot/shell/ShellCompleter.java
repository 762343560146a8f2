package io.kmemlab.boot.shell;

import io.kmemlab.mm.VirtualFs;
import io.kmemlab.mm.slab.KmemCache;
import java.util.List;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;

/**
 * Tab completion for the interactive shell: command names first, then emulated paths (a word
 * starting with '/'), bound variables (a word starting with '$'), cache names after the
 * kmem_cache_* commands and validate, and event names after {@code trace on|off}.
 */
public final class ShellCompleter implements Completer {
    private final Shell shell;

    public ShellCompleter(Shell shell) {
        this.shell = shell;
    }

    @Override
    public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
        List<String> words = line.words();
        int idx = line.wordIndex();
        String word = line.word();
        // Skip a "$x =" binding prefix when deciding which word is the command.
        int cmdIdx = 0;
        if (words.size() > 1 && words.get(0).startsWith("$") && words.get(1).equals("=")) {
            cmdIdx = 2;
        }
        if (word.startsWith("/")) {
            completePath(word, candidates);
            return;
        }
        if (word.startsWith("$")) {
            for (String v : shell.variables().keySet()) {
                candidates.add(new Candidate("$" + v));
            }
            return;
        }
        if (idx == cmdIdx) {
            for (String name : shell.commandNames()) {
                candidates.add(new Candidate(name));
            }
            return;
        }
        String cmd = words.size() > cmdIdx ? words.get(cmdIdx) : "";
        if (idx == cmdIdx + 1
                && (cmd.startsWith("kmem_cache_") && !cmd.equals("kmem_cache_create") || cmd.equals("validate"))
                && shell.kernel().slab() != null) {
            for (KmemCache c : shell.kernel().slab().caches()) {
                candidates.add(new Candidate(c.name()));
            }
        } else if (cmd.equals("trace") && idx == cmdIdx + 1) {
            for (String s : new String[] {"on", "off", "clear"}) {
                candidates.add(new Candidate(s));
            }
        } else if (cmd.equals("trace") && idx == cmdIdx + 2) {
            for (String e : MiscCommands.eventNames()) {
                candidates.add(new Candidate("kmem:" + e));
            }
        } else if (cmd.equals("help")) {
            for (String name : shell.commandNames()) {
                candidates.add(new Candidate(name));
            }
        }
    }

    private void completePath(String word, List<Candidate> candidates) {
        VirtualFs vfs = shell.machine().vfs();
        int slash = word.lastIndexOf('/');
        String dir = slash == 0 ? "/" : word.substring(0, slash);
        String prefix = word.substring(0, slash + 1);
        for (String e : vfs.list(dir)) {
            boolean isDir = e.endsWith("/");
            candidates.add(new Candidate(prefix + e, prefix + e, null, null, null, null, !isDir));
        }
    }
}
