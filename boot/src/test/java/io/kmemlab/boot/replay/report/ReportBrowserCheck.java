package io.kmemlab.boot.replay.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The pages of {@code kmemlab report} and {@code kmemlab report malloc} in a real browser: headless Chromium (Debian's
 * {@code chromium}, installed by {@code scripts/install-browser.sh}; {@code KMEMLAB_CHROMIUM}
 * names another binary) opens each small run's page from a file, with no network. It must run its
 * script without an error (none caught by the page's error handler, no console message of one) and
 * draw every map; a screenshot goes to {@code target/report-browser.png}.
 *
 * <p>Not part of the default build: {@code mvn -B -o verify -Pbrowser -pl boot -am}.
 */
class ReportBrowserCheck {
    private static final Path DIR = Path.of("target");
    private static Path page;
    private static Path mallocPage;

    @BeforeAll
    static void writePage() throws Exception {
        HtmlReportTest.Small s = HtmlReportTest.small();
        page = DIR.resolve("report-browser.html").toAbsolutePath();
        Files.createDirectories(DIR);
        Files.writeString(page, HtmlReport.render(s.runs().get(0).trace(), s.report()), StandardCharsets.UTF_8);
        mallocPage = MallocHtmlReportTest.writePage(
                DIR.resolve("report-malloc-browser.html").toAbsolutePath());
    }

    private static String chromium() {
        String env = System.getenv("KMEMLAB_CHROMIUM");
        return env == null || env.isEmpty() ? "chromium" : env;
    }

    /** Runs headless Chromium on the page with {@code args}; its stdout and stderr. */
    private static String[] browse(String... args) throws IOException, InterruptedException {
        return browse(page, args);
    }

    private static String[] browse(Path page, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(
                chromium(),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--user-data-dir=" + DIR.resolve("chromium-profile").toAbsolutePath(),
                "--enable-logging=stderr",
                "--v=0",
                "--window-size=1400,3000"));
        cmd.addAll(List.of(args));
        cmd.add(page.toUri().toString());
        Path out = Files.createTempFile(DIR, "chromium", ".out");
        Path err = Files.createTempFile(DIR, "chromium", ".err");
        Process p;
        try {
            p = new ProcessBuilder(cmd)
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .start();
        } catch (IOException e) {
            throw new AssertionError(
                    "cannot run " + chromium() + " (install it with scripts/install-browser.sh): " + e.getMessage(), e);
        }
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("chromium finished").isTrue();
        String o = Files.readString(out, StandardCharsets.UTF_8);
        String e = Files.readString(err, StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as("chromium exit status; stderr:\n" + e).isZero();
        return new String[] {o, e};
    }

    @Test
    void page_rendersEveryMapWithoutErrors() throws Exception {
        String[] r = browse("--dump-dom");
        Matcher body = Pattern.compile("<body([^>]*)>").matcher(r[0]);
        assertThat(body.find()).as("a body in the rendered DOM").isTrue();
        String attrs = body.group(1);
        assertThat(attrs).as("no script error").doesNotContain("data-error");
        int maps = HtmlReportTest.ALLOCATORS.size() * 2;
        assertThat(attrs).contains("data-maps=\"" + maps + "\"");
        Matcher painted = Pattern.compile("data-painted=\"(\\d+)\"").matcher(attrs);
        assertThat(painted.find()).isTrue();
        assertThat(Long.parseLong(painted.group(1))).as("cells drawn").isPositive();
        assertThat(r[1]).as("console").doesNotContainPattern("CONSOLE[^\\n]*(Uncaught|Error|error)");
        assertThat(r[0]).contains("<canvas class=\"map\" data-allocator=\"slub\" data-when=\"peak\"");
    }

    @Test
    void page_screenshot() throws Exception {
        Path png = DIR.resolve("report-browser.png").toAbsolutePath();
        Files.deleteIfExists(png);
        browse("--screenshot=" + png, "--hide-scrollbars");
        assertThat(png).exists();
        byte[] head = Files.readAllBytes(png);
        assertThat(head.length).isGreaterThan(10_000);
        assertThat(new String(head, 1, 3, StandardCharsets.US_ASCII)).isEqualTo("PNG");
    }

    /** The page of {@code report malloc}: every heap map and physical map drawn, no script error. */
    @Test
    void mallocPage_rendersEveryHeapMapAndMapWithoutErrors() throws Exception {
        String[] r = browse(mallocPage, "--dump-dom");
        Matcher body = Pattern.compile("<body([^>]*)>").matcher(r[0]);
        assertThat(body.find()).as("a body in the rendered DOM").isTrue();
        String attrs = body.group(1);
        assertThat(attrs).as("no script error").doesNotContain("data-error");
        int maps = MallocHtmlReportTest.ALLOCATORS.size() * 2;
        assertThat(attrs).contains("data-maps=\"" + maps + "\"").contains("data-heaps=\"" + maps + "\"");
        for (String attr : List.of("data-painted", "data-heap-painted")) {
            Matcher painted = Pattern.compile(attr + "=\"(\\d+)\"").matcher(attrs);
            assertThat(painted.find()).as(attr).isTrue();
            assertThat(Long.parseLong(painted.group(1))).as(attr).isPositive();
        }
        assertThat(r[1]).as("console").doesNotContainPattern("CONSOLE[^\\n]*(Uncaught|Error|error)");
        assertThat(r[0]).contains("<canvas class=\"heap\" data-allocator=\"glibc\" data-when=\"peak\"");
    }

    @Test
    void mallocPage_screenshot() throws Exception {
        Path png = DIR.resolve("report-malloc-browser.png").toAbsolutePath();
        Files.deleteIfExists(png);
        browse(mallocPage, "--screenshot=" + png, "--hide-scrollbars");
        assertThat(png).exists();
        byte[] head = Files.readAllBytes(png);
        assertThat(head.length).isGreaterThan(10_000);
        assertThat(new String(head, 1, 3, StandardCharsets.US_ASCII)).isEqualTo("PNG");
    }
}
