package io.genos.portal.images;

import static org.assertj.core.api.Assertions.assertThat;

import io.genos.composer.ComposeResult;
import io.genos.composer.OfflineComposer;
import io.genos.spec.Desktop;
import io.genos.spec.Kind;
import io.genos.spec.Os;
import io.genos.spec.Resources;
import io.genos.spec.Streaming.Protocol;
import io.genos.spec.catalog.Catalog;
import io.genos.spec.catalog.CatalogImage;
import io.genos.spec.policy.PolicyGate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The composer follows the catalog: an image registered after start is what a later request is composed against. */
class CurrentCatalogComposerTest {

    @Test
    void aRegisteredImageIsComposedAgainstAtOnceAndTheComposerIsRebuiltOnlyWhenTheCatalogChanges() {
        Catalog builtIn = Catalog.builtIn();
        AtomicReference<Catalog> current = new AtomicReference<>(builtIn);
        AtomicInteger built = new AtomicInteger();
        CurrentCatalogComposer composer = new CurrentCatalogComposer(current::get, c -> {
            built.incrementAndGet();
            return new OfflineComposer(c, new PolicyGate());
        });
        List<String> turns = List.of("a Windows 11 VM");

        ComposeResult before = composer.compose(turns);
        composer.compose(turns);
        assertThat(built).as("built once for an unchanged catalog").hasValue(1);
        assertThat(before.spec().notes()).doesNotContain("windows-11");

        List<CatalogImage> images = new ArrayList<>(builtIn.images());
        images.add(new CatalogImage("windows-11", Kind.VM, new Os("windows", "windows", "11"), Desktop.WINDOWS,
                List.of(Protocol.RDP), new Resources(3, 6144, 64, null), List.of(), "/srv/images/win11.qcow2", 0,
                "registered"));
        current.set(new Catalog(images));
        ComposeResult after = composer.compose(turns);

        assertThat(built).hasValue(2);
        assertThat(after.spec().notes()).contains("windows-11");
        assertThat(after.spec().resources().cpus()).as("the registered image's defaults").isEqualTo(3);
        assertThat(after.spec().resources().memoryMiB()).isEqualTo(6144);
        assertThat(current.get().resolve(after.spec()).image().id()).isEqualTo("windows-11");
    }
}
