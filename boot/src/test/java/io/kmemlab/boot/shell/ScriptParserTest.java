package io.kmemlab.boot.shell;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ScriptParserTest {

    static List<Statement> ok(String text) {
        ScriptParser.Parsed p = ScriptParser.parse(text);
        assertThat(p.error()).isNull();
        return p.statements();
    }

    @Test
    void semicolonsAndNewlines_separateCommands() {
        List<Statement> s = ok("alloc_pages 0; alloc_pages 1\ncat /proc/buddyinfo ;; dmesg\n\n");
        assertThat(s)
                .extracting(Statement::words)
                .containsExactly(
                        List.of("alloc_pages", "0"),
                        List.of("alloc_pages", "1"),
                        List.of("cat", "/proc/buddyinfo"),
                        List.of("dmesg"));
        assertThat(s).extracting(Statement::line).containsExactly(1, 1, 2, 2);
    }

    @Test
    void hashAtWordStart_commentsOutTheRestOfTheLine() {
        List<Statement> s = ok("# a comment; not a command\nkmalloc 64 # trailing; kfree $p\necho a#b");
        assertThat(s).extracting(Statement::words).containsExactly(List.of("kmalloc", "64"), List.of("echo", "a#b"));
        assertThat(s.get(0).line()).isEqualTo(2);
    }

    @Test
    void binding_spacedOrGlued() {
        List<Statement> s = ok("$p = kmalloc 64\n$q=kzalloc 8 GFP_ATOMIC\n$r =alloc_pages 2\n$s= ksize $p");
        assertThat(s).extracting(Statement::bind).containsExactly("p", "q", "r", "s");
        assertThat(s)
                .extracting(Statement::words)
                .containsExactly(
                        List.of("kmalloc", "64"),
                        List.of("kzalloc", "8", "GFP_ATOMIC"),
                        List.of("alloc_pages", "2"),
                        List.of("ksize", "$p"));
    }

    @Test
    void quotes_groupWordsAndKeepSemicolons() {
        List<Statement> s = ok("echo 'a; b' \"c # d\" e'f g'");
        assertThat(s).hasSize(1);
        assertThat(s.get(0).args()).containsExactly("a; b", "c # d", "ef g");
    }

    @Test
    void offsets_stayInTheWordForTheCommandToResolve() {
        assertThat(ok("poke $p+64 0x12").get(0).args()).containsExactly("$p+64", "0x12");
    }

    @Test
    void errors_nameTheLine() {
        ScriptParser.Parsed p = ScriptParser.parse("dmesg\necho 'open\n");
        assertThat(p.ok()).isFalse();
        assertThat(p.errorLine()).isEqualTo(2);
        assertThat(p.error()).isEqualTo("unterminated single quote");
        p = ScriptParser.parse("dmesg\n\n$p =\n");
        assertThat(p.errorLine()).isEqualTo(3);
        assertThat(p.error()).isEqualTo("$p = needs a command");
        p = ScriptParser.parse("$p kmalloc 8");
        assertThat(p.error()).startsWith("'$p' is not a command");
        p = ScriptParser.parse("$9x = kmalloc 8");
        assertThat(p.error()).isEqualTo("invalid variable name '$9x'");
    }

    @Test
    void errors_parsingGoesOn_everyBadLineListed_badLinesContributeNoStatement() {
        ScriptParser.Parsed p = ScriptParser.parse("echo a; echo 'x\necho b\n$p kmalloc 8; echo c\necho d");
        assertThat(p.errors()).extracting(ScriptParser.SyntaxError::line).containsExactly(1, 3);
        assertThat(p.errors().get(1).report()).startsWith("kmemlab: line 3: syntax error: '$p' is not a command");
        assertThat(p.statements()).extracting(Statement::line).containsExactly(2, 4);
    }

    @Test
    void firstLine_offsetsLineNumbers() {
        assertThat(ScriptParser.parse("dmesg", 7).statements().get(0).line()).isEqualTo(7);
    }
}
