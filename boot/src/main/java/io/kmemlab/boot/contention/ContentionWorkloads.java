package io.kmemlab.boot.contention;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;

/** The contention workloads on the class path, in service-file order. */
public final class ContentionWorkloads {
    private ContentionWorkloads() {}

    public static List<ContentionWorkload> all() {
        List<ContentionWorkload> all = new ArrayList<>();
        ServiceLoader.load(ContentionWorkload.class, ContentionWorkloads.class.getClassLoader())
                .forEach(all::add);
        return all;
    }

    public static Optional<ContentionWorkload> named(String name) {
        return all().stream().filter(w -> w.name().equals(name)).findFirst();
    }
}
