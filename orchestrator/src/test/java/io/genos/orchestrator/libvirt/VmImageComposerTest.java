package io.genos.orchestrator.libvirt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.genos.orchestrator.InvalidRequestException;
import io.genos.orchestrator.RuntimeFailureException;
import io.genos.spec.Desktop;
import io.genos.spec.EnvironmentSpec;
import io.genos.spec.Kind;
import io.genos.spec.Network;
import io.genos.spec.Os;
import io.genos.spec.Resources;
import io.genos.spec.catalog.Catalog;
import io.genos.spec.catalog.Composition;
import io.genos.spec.catalog.Resolution;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** VM images with packages, without building any: names, the cache key, what is refused, the build output read. */
class VmImageComposerTest {
    private static final Catalog CATALOG = Catalog.builtIn();

    @TempDir
    Path images;

    static Resolution debianVmWith(List<String> packages) {
        return CATALOG.resolve(EnvironmentSpec.builder().name("t").kind(Kind.VM).os(Os.linux("debian", "12"))
                .desktop(Desktop.NONE).resources(new Resources(1, 768, null, null))
                .network(new Network(Network.Egress.NONE, null, null)).packages(packages).build());
    }

    @Test
    void theImageIsNamedByTheBasesRecipeAndTheSortedPackages() throws Exception {
        VmImageComposer composer = new VmImageComposer(images, "", Duration.ofMinutes(1));
        Composition c = debianVmWith(List.of("tree", "htop")).composition();
        assertThat(c.start().reference()).isEqualTo("debian-vm");
        assertThatThrownBy(() -> composer.reference(c)).isInstanceOf(RuntimeFailureException.class)
                .hasMessageContaining("build it with ./genos images debian-vm");
        assertThat(composer.missing(c)).containsExactly("the packages htop, tree");

        Files.createDirectories(images.resolve("debian-vm"));
        Files.writeString(images.resolve("debian-vm/recipe"), "0123456789abcdef\n");
        String reference = composer.reference(c);
        assertThat(reference).matches("debian-vm\\+[0-9a-f]{16}");
        assertThat(composer.reference(debianVmWith(List.of("htop", "tree")).composition())).isEqualTo(reference);
        assertThat(composer.reference(debianVmWith(List.of("htop")).composition())).isNotEqualTo(reference);
        Files.writeString(images.resolve("debian-vm/recipe"), "fedcba9876543210\n");
        assertThat(composer.reference(c)).as("a rebuilt base makes a new image").isNotEqualTo(reference);

        String now = composer.reference(c);
        Files.createDirectories(images.resolve(now));
        Files.writeString(images.resolve(now).resolve(LibvirtRuntime.DISK), "");
        assertThat(composer.missing(c)).isEmpty();
    }

    @Test
    void onlyImagesBuildDebianMakesTakePackagesAndTheRuntimeChecksTheNames() {
        Composition tiny = new Composition(CATALOG.find("debian-tiny-vm").orElseThrow(), null, null, List.of("htop"));
        assertThatThrownBy(() -> VmImageComposer.check(tiny)).isInstanceOf(InvalidRequestException.class)
                .hasMessage("packages cannot be added to debian-tiny-vm; ask for debian-vm");

        LibvirtRuntime runtime = new LibvirtRuntime(LibvirtProperties.defaults().withAcceleration("tcg"));
        Resolution ok = debianVmWith(List.of("htop"));
        assertThat(runtime.check(ok)).noneMatch(w -> w.contains("not installed"));
        Resolution built = ok.withComposedImage("debian-vm+0123456789abcdef");
        assertThat(runtime.check(built)).as("the built image is a valid reference that has the packages")
                .noneMatch(w -> w.contains("not installed"));
        if (Files.isRegularFile(Path.of("/var/lib/genos/package-index/debian-12.tsv"))) {
            assertThatThrownBy(() -> runtime.check(debianVmWith(List.of("htopp"))))
                    .isInstanceOf(InvalidRequestException.class).hasMessageContaining("htopp (did you mean htop");
        }
    }

    @Test
    void aDesktopVmIsDerivedFromDebianVmWithItsXSessionAndItsPackagesButNotTheContainersVnc() throws Exception {
        Resolution kde = CATALOG.resolve(EnvironmentSpec.builder().name("t").kind(Kind.VM).os(Os.linux("debian", "12"))
                .desktop(Desktop.KDE).packages(List.of("htop")).build());
        assertThat(kde.warnings()).isEmpty();
        assertThat(kde.image().id()).isEqualTo("debian-kde-vm");
        assertThat(kde.image().kind()).isEqualTo(Kind.VM);
        Composition c = kde.composition();
        assertThat(c.start().id()).isEqualTo("debian-vm");
        assertThat(VmImageComposer.layerName(c)).isEqualTo("the KDE desktop and the package htop");
        VmImageComposer.check(c);

        VmImageComposer composer = new VmImageComposer(images, "", Duration.ofMinutes(1));
        Files.createDirectories(images.resolve("debian-vm"));
        Files.writeString(images.resolve("debian-vm/recipe"), "0123456789abcdef\n");
        Resolution plain = debianVmWith(List.of("htop"));
        assertThat(composer.reference(c)).as("the desktop is part of the recipe")
                .isNotEqualTo(composer.reference(plain.composition()));
        assertThat(CATALOG.resolve(kde.spec()).image().id()).as("resolved again, the same").isEqualTo("debian-kde-vm");

        Composition tinyDesktop = new Composition(CATALOG.find("debian-tiny-vm").orElseThrow(), Desktop.KDE,
                CATALOG.desktopLayers().get(Desktop.KDE), List.of());
        assertThatThrownBy(() -> VmImageComposer.check(tinyDesktop)).isInstanceOf(InvalidRequestException.class)
                .hasMessage("a desktop cannot be added to debian-tiny-vm; ask for debian-vm");
    }

    @Test
    void theOutputGivesProgressAndAptsOwnReason() {
        VmImageComposer.Output out = new VmImageComposer.Output("the package htop");
        assertThat(out.line("[images] debian-vm+x: debootstrap Debian 12 …")).isFalse();
        assertThat(out.line("genos-progress: 2 debootstrap Debian 12")).isTrue();
        assertThat(out.progress().describe()).startsWith("building the package htop: debootstrap Debian 12, 2 %");
        assertThat(out.progress().overallPercent()).isEqualTo(2);
        assertThat(out.line("pmstatus:htop:50.0:Unpacking htop (amd64)")).isTrue();
        assertThat(out.progress().phase()).isEqualTo("installing packages");
        assertThat(out.progress().percent()).isEqualTo(72);
        out.line("Reading package lists...");
        out.line("E: Unable to locate package nosuchpkgzz");
        out.line("[images] debian-vm+x: installing htop nosuchpkgzz FAILED");
        assertThat(out.reason()).isEqualTo("Unable to locate package nosuchpkgzz");
        assertThat(out.log()).contains("E: Unable to locate package nosuchpkgzz").doesNotContain("pmstatus");

        VmImageComposer.Output other = new VmImageComposer.Output("the package htop");
        other.line("[images] debian-vm+x: debootstrap FAILED");
        assertThat(other.reason()).isEqualTo("[images] debian-vm+x: debootstrap FAILED");
    }

    @Test
    void theScriptIsFoundInTheWorkingDirectoryOrItsParentOrWhereTheSettingSays() {
        assertThat(new VmImageComposer(images, "", Duration.ofMinutes(1)).script().toString())
                .endsWith(VmImageComposer.SCRIPT);
        assertThatThrownBy(() -> new VmImageComposer(images, images.resolve("nope").toString(), Duration.ofMinutes(1))
                .script()).isInstanceOf(RuntimeFailureException.class).hasMessageContaining("build-script");
    }
}
