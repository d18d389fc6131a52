package io.genos.composer;

import io.genos.spec.EnvironmentSpec;
import io.genos.spec.Lifetime;
import io.genos.spec.Network;
import io.genos.spec.Os;
import io.genos.spec.Resources;
import io.genos.spec.Streaming;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * What changed between two specs, in lines a person reads: {@code memory: 2048 MiB → 8192 MiB},
 * {@code packages: + vim, tmux}, {@code kind: container → vm}. The portal shows it after each turn.
 */
public final class SpecDiff {

    private SpecDiff() {}

    /**
     * The changes from {@code before} to {@code after}; {@code before} may be null (the first turn), then every
     * field that {@code after} sets is listed as new. Notes are left out.
     */
    public static List<String> between(EnvironmentSpec before, EnvironmentSpec after) {
        Objects.requireNonNull(after, "after");
        EnvironmentSpec b = before == null ? EnvironmentSpec.builder().build() : before;
        List<String> out = new ArrayList<>();
        line(out, "name", b.name(), after.name());
        line(out, "kind", json(b.kind()), json(after.kind()));
        line(out, "image", b.image(), after.image());
        line(out, "os", os(b.os()), os(after.os()));
        line(out, "desktop", b.desktop() == null ? null : b.desktop().json(),
                after.desktop() == null ? null : after.desktop().json());
        Resources rb = b.resources();
        Resources ra = after.resources();
        line(out, "cpus", f(rb, r -> r.cpus() > 0 ? r.cpus() : null), f(ra, r -> r.cpus() > 0 ? r.cpus() : null));
        line(out, "memory", f(rb, r -> r.memoryMiB() > 0 ? r.memoryMiB() + " MiB" : null),
                f(ra, r -> r.memoryMiB() > 0 ? r.memoryMiB() + " MiB" : null));
        line(out, "disk", f(rb, r -> r.diskGiB() == null ? null : r.diskGiB() + " GiB"),
                f(ra, r -> r.diskGiB() == null ? null : r.diskGiB() + " GiB"));
        line(out, "gpus", f(rb, r -> r.gpus() == null || r.gpus() == 0 ? null : r.gpus()),
                f(ra, r -> r.gpus() == null || r.gpus() == 0 ? null : r.gpus()));
        List<String> added = new ArrayList<>(after.packagesOrEmpty());
        added.removeAll(b.packagesOrEmpty());
        List<String> removed = new ArrayList<>(b.packagesOrEmpty());
        removed.removeAll(after.packagesOrEmpty());
        if (!added.isEmpty()) {
            out.add("packages: + " + String.join(", ", added));
        }
        if (!removed.isEmpty()) {
            out.add("packages: \u2212 " + String.join(", ", removed));
        }
        Network nb = b.network();
        Network na = after.network();
        line(out, "egress", f(nb, n -> n.egress() == null ? null : n.egress().name().toLowerCase()),
                f(na, n -> n.egress() == null ? null : n.egress().name().toLowerCase()));
        line(out, "allowed hosts", f(nb, n -> join(n.allow())), f(na, n -> join(n.allow())));
        line(out, "ports", f(nb, n -> join(n.ports())), f(na, n -> join(n.ports())));
        Streaming sb = b.streaming();
        Streaming sa = after.streaming();
        line(out, "protocol", f(sb, s -> s.protocol() == null ? null : s.protocol().json()),
                f(sa, s -> s.protocol() == null ? null : s.protocol().json()));
        line(out, "resolution", f(sb, s -> s.width() == null ? null : s.width() + "x" + s.height()),
                f(sa, s -> s.width() == null ? null : s.width() + "x" + s.height()));
        Lifetime lb = b.lifetime();
        Lifetime la = after.lifetime();
        line(out, "ttl", f(lb, Lifetime::ttl), f(la, Lifetime::ttl));
        line(out, "idle timeout", f(lb, Lifetime::idleTimeout), f(la, Lifetime::idleTimeout));
        return out;
    }

    private static <T> Object f(T v, Function<T, Object> get) {
        return v == null ? null : get.apply(v);
    }

    private static String join(List<?> xs) {
        return xs == null || xs.isEmpty() ? null : String.join(", ", xs.stream().map(String::valueOf).toList());
    }

    private static String json(io.genos.spec.Kind k) {
        return k == null ? null : k.json();
    }

    private static String os(Os os) {
        if (os == null) {
            return null;
        }
        String s = os.distro() != null ? os.distro() : os.family();
        return os.version() == null ? s : s + " " + os.version();
    }

    private static void line(List<String> out, String label, Object before, Object after) {
        if (Objects.equals(before, after)) {
            return;
        }
        out.add(label + ": " + (before == null ? "none" : before) + " \u2192 " + (after == null ? "none" : after));
    }
}
