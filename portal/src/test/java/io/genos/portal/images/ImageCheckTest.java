package io.genos.portal.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.genos.spec.Desktop;
import io.genos.spec.Kind;
import io.genos.spec.Streaming.Protocol;
import io.genos.spec.catalog.Catalog;
import io.genos.spec.catalog.CatalogImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Registration checks, with real files made by qemu-img in a directory QEMU could reach. */
class ImageCheckTest {

    private static final Catalog CATALOG = Catalog.builtIn();
    private static Path dir;
    private static Path qcow2;

    @BeforeAll
    static void files() throws Exception {
        dir = Files.createTempDirectory("genos-image-check-");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        qcow2 = dir.resolve("win.qcow2");
        qemuImg("create", "-q", "-f", "qcow2", qcow2.toString(), "3G");
        Files.setPosixFilePermissions(qcow2, PosixFilePermissions.fromString("rw-r--r--"));
    }

    @AfterAll
    static void clean() throws Exception {
        try (var files = Files.list(dir)) {
            for (Path p : files.toList()) {
                Files.delete(p);
            }
        }
        Files.delete(dir);
    }

    private static void qemuImg(String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("qemu-img"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("qemu-img failed: " + out);
        }
    }

    private static ImageForm form(String id, Protocol protocol, String path, String user, Integer disk) {
        return new ImageForm(Kind.VM, id, "windows", "windows", "11", Desktop.WINDOWS, protocol, path, user, "", 2, 4096, disk,
                "Windows 11 eval");
    }

    @Test
    void aQcow2OnThisHostBecomesAVmImageBootedFromThatFile() {
        CatalogImage image = ImageCheck.check(form("windows-11", Protocol.SPICE, qcow2.toString(), "", null), CATALOG);

        assertThat(image.id()).isEqualTo("windows-11");
        assertThat(image.kind()).isEqualTo(Kind.VM);
        assertThat(image.reference()).isEqualTo(qcow2.toString());
        assertThat(image.protocols()).containsExactly(Protocol.SPICE);
        assertThat(image.os().version()).isEqualTo("11");
        assertThat(image.defaults().cpus()).isEqualTo(2);
        assertThat(image.defaults().diskGiB()).as("the image's own size").isEqualTo(3);
    }

    @Test
    void aFileThatIsNotAQcow2IsRefusedSaying() throws Exception {
        Path raw = dir.resolve("disk.img");
        Files.write(raw, new byte[4096]);
        Files.setPosixFilePermissions(raw, PosixFilePermissions.fromString("rw-r--r--"));

        assertThatThrownBy(() -> ImageCheck.check(form("raw", Protocol.SPICE, raw.toString(), "", null), CATALOG))
                .isInstanceOf(InvalidImageException.class)
                .hasMessage(raw + " is not a qcow2 disk image (it does not start with the qcow2 signature QFI\\xfb). "
                        + "Convert it first: qemu-img convert -O qcow2 <file> <file>.qcow2");
    }

    @Test
    void pathsThatAreMissingRelativeOrRoundaboutAreRefused() {
        assertThatThrownBy(() -> ImageCheck.check(form("a", Protocol.SPICE, dir.resolve("nope.qcow2").toString(), "",
                null), CATALOG)).hasMessageContaining("There is no file");
        assertThatThrownBy(() -> ImageCheck.check(form("a", Protocol.SPICE, "images/win.qcow2", "", null), CATALOG))
                .hasMessageContaining("absolute path");
        assertThatThrownBy(() -> ImageCheck.check(form("a", Protocol.SPICE, dir + "/../" + dir.getFileName()
                + "/win.qcow2", "", null), CATALOG)).hasMessageContaining("without . or ..");
        assertThatThrownBy(() -> ImageCheck.check(form("a", Protocol.SPICE, dir.toString(), "", null), CATALOG))
                .hasMessageContaining("not a regular file");
    }

    @Test
    void aQcow2QemuCannotReadOrWithABackingFileIsRefused() throws Exception {
        Path hidden = dir.resolve("hidden.qcow2");
        qemuImg("create", "-q", "-f", "qcow2", hidden.toString(), "1G");
        Files.setPosixFilePermissions(hidden, PosixFilePermissions.fromString("rw-------"));
        Path overlay = dir.resolve("overlay.qcow2");
        qemuImg("create", "-q", "-f", "qcow2", "-F", "qcow2", "-b", qcow2.toString(), overlay.toString());
        Files.setPosixFilePermissions(overlay, PosixFilePermissions.fromString("rw-r--r--"));

        assertThatThrownBy(() -> ImageCheck.check(form("a", Protocol.SPICE, hidden.toString(), "", null), CATALOG))
                .hasMessageContaining("QEMU runs as another user and cannot read").hasMessageContaining("chmod o+r");
        assertThatThrownBy(() -> ImageCheck.check(form("a", Protocol.SPICE, overlay.toString(), "", null), CATALOG))
                .hasMessageContaining("has a backing file itself");
    }

    @Test
    void idsAreDnsLabelsNotYetInTheCatalog() {
        for (String bad : List.of("", "Windows", "-win", "win-", "win_11", "a".repeat(64))) {
            assertThatThrownBy(() -> ImageCheck.check(form(bad, Protocol.SPICE, qcow2.toString(), "", null), CATALOG))
                    .as(bad).hasMessageContaining("DNS label");
        }
        assertThatThrownBy(() -> ImageCheck.check(form("debian-tiny-vm", Protocol.SPICE, qcow2.toString(), "", null),
                CATALOG)).hasMessage("There is already an image debian-tiny-vm in the catalog: choose another id.");
    }

    @Test
    void rdpNeedsAUserAndOnlyRdpTakesOne() {
        assertThatThrownBy(() -> ImageCheck.check(form("w", Protocol.RDP, qcow2.toString(), " ", null), CATALOG))
                .hasMessage("An RDP image needs the guest's user to sign in as.");
        assertThat(ImageCheck.check(form("w", Protocol.RDP, qcow2.toString(), "genos", null), CATALOG).protocols())
                .containsExactly(Protocol.RDP);
        assertThatThrownBy(() -> ImageCheck.check(form("w", Protocol.SPICE, qcow2.toString(), "genos", null), CATALOG))
                .hasMessageContaining("only for RDP images");
        assertThatThrownBy(() -> ImageCheck.check(form("w", Protocol.SSH, qcow2.toString(), "", null), CATALOG))
                .hasMessageContaining("vnc, rdp or spice");
    }

    @Test
    void defaultsMustFitTheImageAndTheHostLimits() {
        assertThatThrownBy(() -> ImageCheck.check(form("w", Protocol.SPICE, qcow2.toString(), "", 2), CATALOG))
                .hasMessage("The default disk (2 GiB) is smaller than the image's own disk (3 GiB).");
        assertThatThrownBy(() -> ImageCheck.check(new ImageForm(Kind.VM, "w", "windows", "windows", "11", Desktop.WINDOWS,
                Protocol.SPICE, qcow2.toString(), "", "", 0, 4096, null, null), CATALOG))
                .hasMessage("Default CPUs must be 1 to 64.");
        assertThatThrownBy(() -> ImageCheck.check(new ImageForm(Kind.VM, "w", "windows", "windows", "11", Desktop.WINDOWS,
                Protocol.SPICE, qcow2.toString(), "", "", 2, 64, null, null), CATALOG))
                .hasMessage("Default memory must be 128 MiB to 1 TiB.");
    }

    private static ImageForm container(String id, String distro, Desktop desktop, String reference) {
        return new ImageForm(Kind.CONTAINER, id, "linux", distro, "24.04", desktop, Protocol.VNC, reference, "", "", 1,
                1024, null, "");
    }

    @Test
    void aContainerImageInARegistryIsRegisteredByItsReferenceAndPulledLater() {
        CatalogImage image = ImageCheck.check(container("team-ubuntu", "ubuntu", Desktop.NONE,
                " registry.example.org/team/ubuntu:24.04 "), CATALOG);

        assertThat(image.kind()).isEqualTo(Kind.CONTAINER);
        assertThat(image.reference()).isEqualTo("registry.example.org/team/ubuntu:24.04");
        assertThat(image.external()).isTrue();
        assertThat(image.aptBased()).isTrue();
        assertThat(image.displayPort()).as("no display without a desktop").isZero();
        assertThat(image.defaults().diskGiB()).isEqualTo(10);
        CatalogImage desktop = ImageCheck.check(container("team-xfce", "ubuntu", Desktop.XFCE,
                "127.0.0.1:5000/team/ubuntu-xfce"), CATALOG);
        assertThat(desktop.displayPort()).as("GenOS's display contract: VNC on :1").isEqualTo(5901);
    }

    @Test
    void aContainerReferenceDockerWouldNotReadOrAGenosNameIsRefused() {
        assertThatThrownBy(() -> ImageCheck.check(container("x", "ubuntu", Desktop.NONE, "Ubuntu:24.04; rm -rf /"),
                CATALOG)).isInstanceOf(InvalidImageException.class).hasMessageContaining("is not an image reference");
        assertThatThrownBy(() -> ImageCheck.check(container("x", "ubuntu", Desktop.NONE, ""), CATALOG))
                .hasMessageContaining("Give the container image's reference");
        assertThatThrownBy(() -> ImageCheck.check(container("x", "debian", Desktop.NONE, "genos/debian-shell:latest"),
                CATALOG)).hasMessageContaining("a name GenOS gives its own images");
        assertThatThrownBy(() -> ImageCheck.check(new ImageForm(Kind.CONTAINER, "x", "linux", "ubuntu", "", Desktop.XFCE,
                Protocol.RDP, "r.example.org/x", "", "", 1, 1024, null, ""), CATALOG))
                .hasMessageContaining("streamed over VNC");
    }
}
