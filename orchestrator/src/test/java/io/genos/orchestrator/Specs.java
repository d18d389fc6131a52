package io.genos.orchestrator;

import io.genos.spec.Desktop;
import io.genos.spec.EnvironmentSpec;
import io.genos.spec.Kind;
import io.genos.spec.Lifetime;
import io.genos.spec.Network;
import io.genos.spec.Os;
import io.genos.spec.Resources;
import io.genos.spec.Streaming;
import io.genos.spec.catalog.CatalogImage;
import io.genos.spec.catalog.Resolution;
import java.util.List;

/** Resolutions for tests, shaped like the catalog's debian-openbox image. */
public final class Specs {
    private Specs() {}

    public static CatalogImage openbox(String reference) {
        return new CatalogImage("debian-openbox", Kind.CONTAINER, Os.linux("debian", "12"), Desktop.OPENBOX,
                List.of(Streaming.Protocol.VNC), new Resources(1, 1024, 5, null), List.of("openbox", "xterm"),
                reference, 5901, "test image");
    }

    public static Resolution openbox(String name, int cpus, int memoryMiB, Network.Egress egress) {
        return resolution(name, cpus, memoryMiB, egress, "genos/debian-openbox:latest", null);
    }

    public static Resolution resolution(String name, int cpus, int memoryMiB, Network.Egress egress, String reference,
            String ttl) {
        EnvironmentSpec spec = EnvironmentSpec.builder()
                .name(name)
                .kind(Kind.CONTAINER)
                .image("debian-openbox")
                .os(Os.linux("debian", "12"))
                .desktop(Desktop.NONE)
                .resources(new Resources(cpus, memoryMiB, 5, null))
                .network(egress == null ? null : new Network(egress, null, null))
                .streaming(new Streaming(Streaming.Protocol.VNC, null, null))
                .lifetime(ttl == null ? null : new Lifetime(ttl, null))
                .build();
        return new Resolution(spec, openbox(reference), List.of());
    }
}
