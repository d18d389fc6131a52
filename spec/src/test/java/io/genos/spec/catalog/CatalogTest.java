package io.genos.spec.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.genos.spec.Desktop;
import io.genos.spec.EnvironmentSpec;
import io.genos.spec.Kind;
import io.genos.spec.Os;
import io.genos.spec.Resources;
import io.genos.spec.Streaming;
import org.junit.jupiter.api.Test;

class CatalogTest {

    private final Catalog catalog = Catalog.builtIn();

    @Test
    void theBuiltInCatalogListsTheDefaultAndTheTestDesktops() {
        assertThat(catalog.images()).extracting(CatalogImage::id).contains("debian-xfce", "debian-openbox");
        assertThat(catalog.find("debian-xfce").orElseThrow().reference()).isEqualTo("genos/debian-xfce:latest");
    }

    @Test
    void aDebianXfceRequestResolvesToTheDefaultDesktopWithoutWarnings() {
        EnvironmentSpec spec = EnvironmentSpec.builder().name("d").os(Os.linux("debian", "12")).desktop(Desktop.XFCE)
                .resources(new Resources(2, 4096, null, null)).build();
        Resolution r = catalog.resolve(spec);
        assertThat(r.image().id()).isEqualTo("debian-xfce");
        assertThat(r.warnings()).isEmpty();
        assertThat(r.spec().image()).isEqualTo("debian-xfce");
        assertThat(r.spec().kind()).isEqualTo(Kind.CONTAINER);
        assertThat(r.spec().resources().memoryMiB()).isEqualTo(4096);
        assertThat(r.spec().resources().diskGiB()).isEqualTo(10);
        assertThat(r.spec().streaming().protocol()).isEqualTo(Streaming.Protocol.VNC);
    }

    @Test
    void aMissingDistributionIsSubstitutedWithAWarning() {
        EnvironmentSpec spec = EnvironmentSpec.builder().name("u").os(Os.linux("ubuntu", "22.04")).desktop(Desktop.GNOME)
                .resources(new Resources(2, 2048, null, null)).build();
        Resolution r = catalog.resolve(spec);
        assertThat(r.warnings()).anyMatch(w -> w.startsWith("Ubuntu is not in the catalog"))
                .noneMatch(w -> w.contains("GNOME"));
        assertThat(r.spec().os().distro()).isEqualTo("ubuntu");
    }

    @Test
    void anExplicitImageWinsAndAnUnknownOneIsReplacedWithAWarning() {
        EnvironmentSpec base = EnvironmentSpec.builder().name("x").resources(new Resources(1, 1024, null, null)).build();
        assertThat(catalog.resolve(base.toBuilder().image("debian-openbox").build()).image().id()).isEqualTo("debian-openbox");
        Resolution r = catalog.resolve(base.toBuilder().image("nope").build());
        assertThat(r.warnings()).anyMatch(w -> w.contains("nope"));
    }

    @Test
    void aTerminalOnlyRequestResolvesToTheShellImageWithoutADisplay() {
        EnvironmentSpec spec = EnvironmentSpec.builder().name("t").os(Os.linux("debian", null)).desktop(Desktop.NONE)
                .build();
        Resolution r = catalog.resolve(spec);
        assertThat(r.image().id()).isEqualTo("debian-shell");
        assertThat(r.image().displayPort()).isZero();
        assertThat(r.image().graphical()).isFalse();
        assertThat(r.warnings()).isEmpty();
        assertThat(r.spec().kind()).isEqualTo(Kind.CONTAINER);
        assertThat(r.spec().resources().cpus()).isEqualTo(1);
        assertThat(r.spec().resources().memoryMiB()).isEqualTo(512);
    }

    @Test
    void aTerminalOnlyVmRequestResolvesToTheRealDebianVmAndTheTinyOneOnlyWhenNamed() {
        EnvironmentSpec spec = EnvironmentSpec.builder().name("v").kind(Kind.VM).desktop(Desktop.NONE).build();
        assertThat(catalog.resolve(spec).image().id()).isEqualTo("debian-vm");
        assertThat(catalog.resolve(spec.toBuilder().image("debian-tiny-vm").build()).image().id())
                .isEqualTo("debian-tiny-vm");
        assertThat(catalog.resolve(EnvironmentSpec.builder().name("v").kind(Kind.VM).build()).image().id())
                .isEqualTo("debian-vm");
    }

    @Test
    void aVmWithADesktopResolvesToTheXfceVm() {
        EnvironmentSpec spec = EnvironmentSpec.builder().name("v").kind(Kind.VM).desktop(Desktop.XFCE).build();
        Resolution r = catalog.resolve(spec);
        assertThat(r.image().id()).isEqualTo("debian-xfce-vm");
        assertThat(r.warnings()).isEmpty();
    }
}
