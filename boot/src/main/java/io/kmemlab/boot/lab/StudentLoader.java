package io.kmemlab.boot.lab;

import java.io.IOException;
import java.lang.reflect.Modifier;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Finds a student's allocator in a directory: its {@code .java} files compiled with the JDK's
 * compiler API against kmemlab's own classes (into {@code DIR/build/classes}), or a jar placed
 * there; then the one public class that implements the lab's interface, loaded in a class loader
 * of its own.
 */
final class StudentLoader {

    /** The student's class, or why there is none. */
    record Loaded<T>(Class<? extends T> type, String error) {}

    private StudentLoader() {}

    static <T> Loaded<T> load(Path dir, Class<T> iface) {
        Loaded<Object> l = load(dir, List.of(iface));
        return l.error() != null
                ? new Loaded<>(null, l.error())
                : new Loaded<>(l.type().asSubclass(iface), null);
    }

    /**
     * Compiles or loads the classes in {@code dir} and finds the one public class implementing one
     * of {@code ifaces} (the lab levels); the first interface is the one compiled against.
     */
    static Loaded<Object> load(Path dir, List<Class<?>> ifaces) {
        Class<?> iface = ifaces.get(0);
        if (!Files.isDirectory(dir)) {
            return new Loaded<>(null, dir + ": no such directory");
        }
        List<Path> sources = new ArrayList<>();
        List<Path> jars = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dir)) {
            files.filter(Files::isRegularFile)
                    .filter(f -> !f.startsWith(dir.resolve("build")))
                    .sorted()
                    .forEach(f -> {
                        String n = f.getFileName().toString();
                        if (n.endsWith(".java")) {
                            sources.add(f);
                        } else if (n.endsWith(".jar")) {
                            jars.add(f);
                        }
                    });
        } catch (IOException e) {
            return new Loaded<>(null, dir + ": " + e.getMessage());
        }
        List<URL> urls = new ArrayList<>();
        List<String> names = new ArrayList<>();
        List<String> refused = new ArrayList<>();
        try {
            if (!sources.isEmpty()) {
                Path out = dir.resolve("build").resolve("classes");
                String error = compile(sources, out, iface);
                if (error != null) {
                    return new Loaded<>(null, error);
                }
                urls.add(out.toUri().toURL());
                try (Stream<Path> classes = Files.walk(out)) {
                    for (Path f : classes.filter(c -> c.toString().endsWith(".class"))
                            .sorted()
                            .toList()) {
                        names.add(className(out, f));
                        scan(className(out, f), Files.readAllBytes(f), refused);
                    }
                }
            } else if (!jars.isEmpty()) {
                for (Path jar : jars) {
                    urls.add(jar.toUri().toURL());
                    try (JarFile j = new JarFile(jar.toFile())) {
                        for (java.util.jar.JarEntry e : j.stream()
                                .filter(x -> x.getName().endsWith(".class"))
                                .sorted(java.util.Comparator.comparing(java.util.jar.JarEntry::getName))
                                .toList()) {
                            String n = e.getName()
                                    .substring(0, e.getName().length() - 6)
                                    .replace('/', '.');
                            names.add(n);
                            try (java.io.InputStream in = j.getInputStream(e)) {
                                scan(n, in.readAllBytes(), refused);
                            }
                        }
                    }
                }
            } else {
                return new Loaded<>(null, dir + ": no .java files and no jar");
            }
        } catch (IOException e) {
            return new Loaded<>(null, dir + ": " + e.getMessage());
        }
        if (!refused.isEmpty()) {
            return new Loaded<>(
                    null,
                    dir + ": refused, because the code could end or get around kmemlab itself:\n  "
                            + String.join("\n  ", refused)
                            + "\n(an allocator reports a problem by its return value — NO_PAGE, 0, false — or by"
                            + " throwing; it needs no System.exit, Runtime or reflection)");
        }
        URLClassLoader loader = new URLClassLoader(urls.toArray(URL[]::new), iface.getClassLoader());
        List<Class<?>> found = new ArrayList<>();
        for (String n : names) {
            try {
                Class<?> c = Class.forName(n, false, loader);
                if (ifaces.stream().anyMatch(i -> i.isAssignableFrom(c))
                        && !c.isInterface()
                        && Modifier.isPublic(c.getModifiers())
                        && !Modifier.isAbstract(c.getModifiers())) {
                    found.add(c);
                }
            } catch (ClassNotFoundException | LinkageError e) {
                return new Loaded<>(null, n + ": cannot be loaded: " + e);
            }
        }
        if (found.size() != 1) {
            return new Loaded<>(
                    null,
                    dir + ": expected one public class implementing "
                            + String.join(
                                    " or ", ifaces.stream().map(Class::getName).toList()) + ", found "
                            + (found.isEmpty()
                                    ? "none"
                                    : found.stream().map(Class::getName).toList()));
        }
        return new Loaded<>(found.get(0), null);
    }

    /** Adds to {@code refused} each refused call class {@code name} makes, or that it cannot be read. */
    private static void scan(String name, byte[] bytes, List<String> refused) {
        try {
            for (String call : BytecodeScan.refusedCalls(bytes)) {
                refused.add(name + " calls " + call);
            }
        } catch (IOException e) {
            refused.add(name + ": not a class file kmemlab can read (" + e.getMessage() + ")");
        }
    }

    private static String className(Path root, Path f) {
        String rel = root.relativize(f).toString().replace(java.io.File.separatorChar, '.');
        return rel.substring(0, rel.length() - ".class".length());
    }

    /** javac over the sources; null on success, else the compiler's messages. */
    private static String compile(List<Path> sources, Path out, Class<?> iface) throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) {
            return "no Java compiler in this runtime (run kmemlab on a JDK, or put a jar in the directory)";
        }
        if (Files.isDirectory(out)) {
            // classes of an earlier compile whose source is gone would be found as well
            try (Stream<Path> old = Files.walk(out)) {
                for (Path p : old.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        Files.createDirectories(out);
        List<String> args = new ArrayList<>(List.of(
                "-d",
                out.toString(),
                "-classpath",
                classpath(iface),
                "--release",
                "17",
                "-encoding",
                "UTF-8",
                "-nowarn"));
        for (Path s : sources) {
            args.add(s.toString());
        }
        java.io.ByteArrayOutputStream messages = new java.io.ByteArrayOutputStream();
        int rc = javac.run(null, messages, messages, args.toArray(String[]::new));
        return rc == 0
                ? null
                : "compilation failed:\n"
                        + messages.toString(java.nio.charset.StandardCharsets.UTF_8)
                                .stripTrailing();
    }

    /** kmemlab's classes as javac's class path: where the lab interface and mm-core were loaded from. */
    private static String classpath(Class<?> iface) throws MalformedURLException {
        List<String> parts = new ArrayList<>();
        for (Class<?> c : new Class<?>[] {iface, io.kmemlab.mm.user.UserSpace.class}) {
            try {
                String p = Path.of(c.getProtectionDomain()
                                .getCodeSource()
                                .getLocation()
                                .toURI())
                        .toString();
                if (!parts.contains(p)) {
                    parts.add(p);
                }
            } catch (java.net.URISyntaxException e) {
                throw new MalformedURLException(e.getMessage());
            }
        }
        return String.join(java.io.File.pathSeparator, parts);
    }
}
