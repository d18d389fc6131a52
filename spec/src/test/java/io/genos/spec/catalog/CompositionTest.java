package io.genos.spec.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.genos.spec.Desktop;
import io.genos.spec.EnvironmentSpec;
import io.genos.spec.Kind;
import io.genos.spec.Os;
import io.genos.spec.Resources;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Resolution to composed images: a desktop layer and a package layer on catalog images. */
class CompositionTest {

    private final Catalog catalog = Catalog.builtIn();

    private static EnvironmentSpec.Builder debian() {
        return EnvironmentSpec.builder().name("x").os(Os.linux("debian", "12"));
    }

    @Test
    void everyDesktopButWindowsHasALayerWithTigerVnc() {
        for (Desktop d : Desktop.values()) {
            if (d == Desktop.NONE || d == Desktop.WINDOWS) {
                continue;
            }
            assertThat(catalog.desktopLayers()).containsKey(d);
            assertThat(catalog.desktopLayers().get(d).packages()).contains("tigervnc-standalone-server");
        }
    }

    @Test
    void aKdeDesktopIsComposedOnTheShellImageWithoutAWarning() {
        Resolution r = catalog.resolve(debian().desktop(Desktop.KDE).packages(List.of("gimp", "htop")).build());
        assertThat(r.warnings()).isEmpty();
        assertThat(r.composed()).isTrue();
        Composition c = r.composition();
        assertThat(c.start().id()).isEqualTo("debian-shell");
        assertThat(c.desktop()).isEqualTo(Desktop.KDE);
        assertThat(c.desktopLayer().packages()).contains("kde-plasma-desktop");
        assertThat(c.packages()).containsExactly("gimp", "htop");
        assertThat(c.layerNames()).containsExactly("the KDE desktop", "the packages gimp, htop");
        assertThat(r.image().id()).isEqualTo("debian-kde");
        assertThat(r.image().desktop()).isEqualTo(Desktop.KDE);
        assertThat(r.image().displayPort()).isEqualTo(5901);
        assertThat(r.image().reference()).isEqualTo("genos/debian-shell:latest");
        assertThat(r.image().packages()).contains("kde-plasma-desktop", "gimp", "htop", "tmux");
        assertThat(r.spec().desktop()).isEqualTo(Desktop.KDE);
        // a desktop gets a desktop's defaults, not the shell's
        assertThat(r.spec().resources().memoryMiB()).isEqualTo(2048);
    }

    @Test
    void theResolvedSpecResolvesAgainToTheSameComposition() {
        Resolution r = catalog.resolve(debian().desktop(Desktop.GNOME).build());
        Resolution again = catalog.resolve(r.spec());
        assertThat(again.warnings()).isEmpty();
        assertThat(again.image().id()).isEqualTo("debian-gnome");
        assertThat(again.composition()).isEqualTo(r.composition());
    }

    @Test
    void aCatalogDesktopWithPackagesGetsOnlyAPackageLayer() {
        Resolution r = catalog.resolve(debian().desktop(Desktop.XFCE).packages(List.of("python3", "htop")).build());
        assertThat(r.image().id()).isEqualTo("debian-xfce");
        assertThat(r.composition().desktop()).isNull();
        assertThat(r.composition().start().id()).isEqualTo("debian-xfce");
        assertThat(r.composition().packages()).containsExactly("htop"); // python3 is in the image already
    }

    @Test
    void aTerminalWithPackagesGetsAPackageLayerAndNothingElse() {
        Resolution r = catalog.resolve(debian().desktop(Desktop.NONE).packages(List.of("git", "htop")).build());
        assertThat(r.image().id()).isEqualTo("debian-shell");
        assertThat(r.composition().packages()).containsExactly("htop");
        assertThat(catalog.resolve(debian().desktop(Desktop.NONE).packages(List.of("git")).build()).composed()).isFalse();
    }

    @Test
    void anotherDistributionStillSaysSoButGetsTheDesktop() {
        Resolution r = catalog.resolve(EnvironmentSpec.builder().os(Os.linux("ubuntu", "24.04")).desktop(Desktop.GNOME)
                .resources(new Resources(2, 2048, null, null)).build());
        assertThat(r.warnings()).anyMatch(w -> w.startsWith("Ubuntu is not in the catalog")).noneMatch(w -> w.contains("GNOME"));
        assertThat(r.image().desktop()).isEqualTo(Desktop.GNOME);
    }

    @Test
    void aVmGetsItsPackagesAndItsDesktopOnDebianVmAndWindowsIsNotComposed() {
        Resolution vm = catalog.resolve(debian().kind(Kind.VM).packages(List.of("htop", "sudo")).build());
        assertThat(vm.image().id()).isEqualTo("debian-vm");
        assertThat(vm.composition().start().id()).isEqualTo("debian-vm");
        assertThat(vm.composition().packages()).containsExactly("htop");
        assertThat(vm.composition().desktop()).isNull();
        Resolution kdeVm = catalog.resolve(debian().kind(Kind.VM).desktop(Desktop.KDE).build());
        assertThat(kdeVm.warnings()).isEmpty();
        assertThat(kdeVm.image().id()).isEqualTo("debian-kde-vm");
        assertThat(kdeVm.composition().start().id()).isEqualTo("debian-vm");
        assertThat(kdeVm.composition().desktop()).isEqualTo(Desktop.KDE);
        Resolution windows = catalog.resolve(debian().desktop(Desktop.WINDOWS).build());
        assertThat(windows.composed()).isFalse();
        assertThat(windows.warnings()).anyMatch(w -> w.contains("WINDOWS"));
    }

    @Test
    void aNameThatIsNotADebianPackageNameIsRefused() {
        CatalogImage shell = catalog.find("debian-shell").orElseThrow();
        assertThatThrownBy(() -> new Composition(shell, null, null, List.of("htop", "a;rm -rf /")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("a;rm -rf /");
    }

    /** The built-in catalog with a registry image an admin registered. */
    private Catalog withRegistered(String distro, String version, String reference) {
        List<CatalogImage> all = new java.util.ArrayList<>(catalog.images());
        all.add(new CatalogImage("team-" + distro, Kind.CONTAINER, Os.linux(distro, version), Desktop.NONE,
                List.of(io.genos.spec.Streaming.Protocol.VNC), new Resources(1, 1024, 10, null), List.of(), reference, 0,
                null, true));
        return catalog.withImages(all);
    }

    @Test
    void aRegistryImageGetsGenosSessionAsItsFirstLayerThenTheDesktopAndThePackages() {
        Catalog c = withRegistered("ubuntu", "24.04", "registry.example.org/team/ubuntu:24.04");
        EnvironmentSpec.Builder ubuntu = EnvironmentSpec.builder().name("x").os(Os.linux("ubuntu", "24.04"));

        Resolution terminal = c.resolve(ubuntu.desktop(Desktop.NONE).build());
        assertThat(terminal.image().id()).isEqualTo("team-ubuntu");
        assertThat(terminal.warnings()).isEmpty();
        assertThat(terminal.composition().layerNames()).containsExactly(Composition.SESSION_LAYER);

        Resolution withHtop = c.resolve(ubuntu.desktop(Desktop.NONE).packages(List.of("htop")).build());
        assertThat(withHtop.composition().session()).isTrue();
        assertThat(withHtop.composition().layerNames()).containsExactly(Composition.SESSION_LAYER, "the package htop");

        Resolution kde = c.resolve(ubuntu.desktop(Desktop.KDE).packages(List.of()).build());
        assertThat(kde.warnings()).isEmpty();
        assertThat(kde.composition().start().id()).isEqualTo("team-ubuntu");
        assertThat(kde.composition().layerNames()).containsExactly(Composition.SESSION_LAYER, "the KDE desktop");
        assertThat(kde.image().id()).isEqualTo("ubuntu-kde");
        assertThat(kde.image().reference()).isEqualTo("registry.example.org/team/ubuntu:24.04");
        assertThat(kde.image().external()).isTrue();

        assertThat(catalog.resolve(debian().desktop(Desktop.NONE).build()).composed())
                .as("GenOS's own shell image has its session").isFalse();
    }

    @Test
    void anImageWhosePackageManagerGenosDoesNotDriveIsNotComposed() {
        Catalog c = withRegistered("alpine", "3.20", "registry.example.org/team/alpine:3.20");
        Resolution r = c.resolve(EnvironmentSpec.builder().name("x").os(Os.linux("alpine", "3.20"))
                .desktop(Desktop.NONE).packages(List.of("htop")).build());
        assertThat(r.image().id()).isEqualTo("team-alpine");
        assertThat(r.image().aptBased()).isFalse();
        assertThat(r.composed()).as("the runtime refuses the packages, naming the image").isFalse();
    }
}
