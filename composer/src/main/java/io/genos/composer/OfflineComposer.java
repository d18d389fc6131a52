package io.genos.composer;

import io.genos.composer.internal.Software;
import io.genos.composer.internal.Understanding;
import io.genos.spec.catalog.Catalog;
import io.genos.spec.policy.PolicyGate;
import java.util.List;

/**
 * The embedded default composer: deterministic, offline, well under a millisecond per turn once loaded. It reads
 * quantities however people write them (digits, words, "half a gig", "quad-core", "8G"), units (GB = GiB), which
 * quantity is memory, disk, CPUs or GPUs from the words around it, distributions with versions and code names,
 * desktops, container-or-VM cues, software through a curated vocabulary of Debian package names, network, ports,
 * streaming, resolution and lifetimes; later turns refine earlier ones. Missing required fields come from the image
 * the {@link Catalog} would choose; every result passes through the {@link PolicyGate}.
 *
 * <pre>{@code
 * Composer composer = new OfflineComposer();
 * ComposeResult r = composer.compose(List.of("Debian desktop please", "actually make it 8 GB of RAM"));
 * r.spec().resources().memoryMiB(); // 8192
 * }</pre>
 */
public final class OfflineComposer implements Composer {

    private final Understanding understanding;

    /** With the built-in catalog and the default policy limits. */
    public OfflineComposer() {
        this(Catalog.builtIn(), new PolicyGate());
    }

    public OfflineComposer(Catalog catalog, PolicyGate gate) {
        this.understanding = new Understanding(catalog, gate, Software.builtIn());
    }

    @Override
    public ComposeResult compose(List<String> turns) {
        return understanding.compose(turns);
    }
}
