package io.genos.orchestrator.libvirt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.genos.orchestrator.CachedImage;
import io.genos.orchestrator.InvalidRequestException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Derived VM images in the image cache, with real qcow2 files made by qemu-img: who runs from them, and removal. */
class VmImageCacheTest {

    @TempDir
    Path images;

    @TempDir
    Path instances;

    private static void qemuImg(String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("qemu-img"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0).as(out).isTrue();
    }

    @Test
    void aDerivedImageIsListedWithItsPackagesAndTheVmsOnItAndRemovedOnlyWhenNoneIs() throws Exception {
        Path derived = images.resolve("debian-vm+0123456789abcdef");
        Files.createDirectories(derived);
        qemuImg("create", "-q", "-f", "qcow2", derived.resolve("disk.qcow2").toString(), "64M");
        VmImageCache.recordContents(derived, "htop tree");
        Path base = images.resolve("debian-vm");
        Files.createDirectories(base);
        qemuImg("create", "-q", "-f", "qcow2", base.resolve("disk.qcow2").toString(), "64M");
        Path instance = instances.resolve("env-1");
        Files.createDirectories(instance);
        qemuImg("create", "-q", "-f", "qcow2", "-F", "qcow2", "-b", derived.resolve("disk.qcow2").toString(),
                instance.resolve("disk.qcow2").toString());
        assertThat(VmImageCache.backingFile(instance.resolve("disk.qcow2")))
                .isEqualTo(derived.resolve("disk.qcow2").toString());

        VmImageCache cache = new VmImageCache(images, instances);
        List<CachedImage> listed = cache.list();
        assertThat(listed).as("catalog images are not composed layers").singleElement().satisfies(i -> {
            assertThat(i.ref()).isEqualTo("debian-vm+0123456789abcdef");
            assertThat(i.parentId()).isEqualTo("debian-vm");
            assertThat(i.contents()).isEqualTo("htop tree");
            assertThat(i.usedBy()).containsExactly("env-1");
            assertThat(i.uniqueBytes()).isPositive();
        });
        assertThatThrownBy(() -> cache.remove("debian-vm+0123456789abcdef")).isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("used by 1 VM (env-1)");
        assertThatThrownBy(() -> cache.remove("debian-vm")).hasMessageContaining("no derived VM image");
        assertThatThrownBy(() -> cache.remove("../debian-vm+0123456789abcdef")).hasMessageContaining("no derived");

        Files.delete(instance.resolve("disk.qcow2"));
        cache.remove("debian-vm+0123456789abcdef");
        assertThat(derived).doesNotExist();
        assertThat(base).exists();
        assertThat(cache.list()).isEmpty();
    }
}
