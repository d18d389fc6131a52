package io.genos.orchestrator.libvirt;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings under {@code genos.orchestrator.libvirt}. The defaults make the embedded mode work against the local
 * libvirtd (started by {@code vm-images/vm/ensure-libvirt}) with images built by {@code vm-images/vm/build-tiny}.
 *
 * @param enabled whether the portal gets a VM runtime bean at all (off until libvirt is set up on the host)
 * @param uri libvirt connection URI
 * @param imagesDir where VM images live: one directory per catalog {@code reference}, holding {@code disk.qcow2} and,
 *     for direct kernel boot, {@code vmlinuz}, {@code initrd.img} and {@code cmdline}
 * @param instancesDir where each environment's overlay disk and serial log live, one directory per environment
 * @param acceleration {@code auto} (try KVM once, fall back to TCG), {@code kvm} or {@code tcg}
 * @param probeImage the image (a directory in {@code imagesDir} with a kernel) booted to find out whether KVM works
 * @param probeMarker the line the probe image prints on its serial console once booted
 * @param probeTimeout how long the probe may take to print its marker under KVM
 * @param stopTimeout how long a graceful (ACPI) shutdown may take before the VM is powered off hard
 * @param buildScript the script that builds VM images with packages ({@code vm-images/vm/build-debian}); empty: that
 *     path in the working directory or its parent (the repository root when the portal runs from it or a module)
 */
@ConfigurationProperties(prefix = "genos.orchestrator.libvirt")
public record LibvirtProperties(
        @DefaultValue("false") boolean enabled,
        @DefaultValue("qemu:///system") String uri,
        @DefaultValue("/var/lib/genos/images") Path imagesDir,
        @DefaultValue("/var/lib/genos/vms") Path instancesDir,
        @DefaultValue("auto") String acceleration,
        @DefaultValue("debian-tiny-vm") String probeImage,
        @DefaultValue("GENOS-TINY-READY") String probeMarker,
        @DefaultValue("8s") Duration probeTimeout,
        @DefaultValue("20s") Duration stopTimeout,
        @DefaultValue("") String buildScript) {

    public LibvirtProperties {
        if (uri == null || uri.isBlank()) {
            throw new IllegalArgumentException("genos.orchestrator.libvirt.uri must be set, e.g. qemu:///system");
        }
        if (imagesDir == null || !imagesDir.isAbsolute()) {
            throw new IllegalArgumentException("genos.orchestrator.libvirt.images-dir must be an absolute path, was "
                    + imagesDir);
        }
        if (instancesDir == null || !instancesDir.isAbsolute()) {
            throw new IllegalArgumentException("genos.orchestrator.libvirt.instances-dir must be an absolute path, was "
                    + instancesDir);
        }
        if (!java.util.List.of("auto", "kvm", "tcg").contains(acceleration)) {
            throw new IllegalArgumentException("genos.orchestrator.libvirt.acceleration must be auto, kvm or tcg, was "
                    + acceleration);
        }
        if (probeTimeout == null || probeTimeout.isNegative() || probeTimeout.isZero()) {
            throw new IllegalArgumentException("genos.orchestrator.libvirt.probe-timeout must be positive, was "
                    + probeTimeout);
        }
        if (stopTimeout == null || stopTimeout.isNegative()) {
            throw new IllegalArgumentException("genos.orchestrator.libvirt.stop-timeout must not be negative, was "
                    + stopTimeout);
        }
        buildScript = buildScript == null ? "" : buildScript.strip();
    }

    /** The defaults, for code that runs without Spring. */
    public static LibvirtProperties defaults() {
        return new LibvirtProperties(false, "qemu:///system", Path.of("/var/lib/genos/images"),
                Path.of("/var/lib/genos/vms"), "auto", "debian-tiny-vm", "GENOS-TINY-READY", Duration.ofSeconds(8),
                Duration.ofSeconds(20), "");
    }

    public LibvirtProperties withDirectories(Path images, Path instances) {
        return new LibvirtProperties(enabled, uri, images, instances, acceleration, probeImage, probeMarker,
                probeTimeout, stopTimeout, buildScript);
    }

    public LibvirtProperties withAcceleration(String a) {
        return new LibvirtProperties(enabled, uri, imagesDir, instancesDir, a, probeImage, probeMarker, probeTimeout,
                stopTimeout, buildScript);
    }

    public LibvirtProperties withStopTimeout(Duration d) {
        return new LibvirtProperties(enabled, uri, imagesDir, instancesDir, acceleration, probeImage, probeMarker,
                probeTimeout, d, buildScript);
    }
}
