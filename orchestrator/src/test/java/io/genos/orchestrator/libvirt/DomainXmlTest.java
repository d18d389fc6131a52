package io.genos.orchestrator.libvirt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class DomainXmlTest {

    private static DomainXml.Definition definition(String owner, String password, Path kernel) {
        return new DomainXml.Definition("genos-0123456789ab", "0123-env", owner, "debian-tiny-vm", "GenOS t (" + owner + ")",
                Acceleration.TCG, 2, 512, Path.of("/vms/0123-env/disk.qcow2"), Path.of("/img/disk.qcow2"), kernel,
                kernel == null ? null : Path.of("/img/initrd.img"), "console=ttyS0", Path.of("/vms/0123-env/serial.log"),
                password);
    }

    @Test
    void writesMetadataLimitsAndAPasswordedLoopbackDisplayThatReadBack() {
        String xml = DomainXml.write(definition("alice", "pw123456", Path.of("/img/vmlinuz")));

        DomainXml.Parsed parsed = DomainXml.parse(xml);

        assertThat(parsed.labels()).containsEntry("io.genos.product", "genos").containsEntry("io.genos.environment", "0123-env")
                .containsEntry("io.genos.owner", "alice").containsEntry("io.genos.image", "debian-tiny-vm")
                .containsEntry("io.genos.acceleration", "tcg");
        assertThat(parsed.type()).isEqualTo("qemu");
        assertThat(parsed.vcpus()).isEqualTo(2);
        assertThat(parsed.vncListen()).isEqualTo("127.0.0.1");
        assertThat(parsed.vncPassword()).isEqualTo("pw123456");
        assertThat(parsed.vncPort()).as("autoport: no port before start").isNull();
        assertThat(xml).contains("<acpi/>", "<kernel>/img/vmlinuz</kernel>", "<cmdline>console=ttyS0</cmdline>",
                "<log file='/vms/0123-env/serial.log' append='off'/>", "<source file='/vms/0123-env/disk.qcow2'/>",
                "<source file='/img/disk.qcow2'>\n          <seclabel model='dac' relabel='no'/>");
    }

    @Test
    void escapesWhatPeopleTypeSoItCannotChangeTheXml() {
        String owner = "bob' evil='1\"<x/>&";

        String xml = DomainXml.write(definition(owner, "a'b\"c<d", null));

        DomainXml.Parsed parsed = DomainXml.parse(xml);
        assertThat(parsed.labels()).containsEntry("io.genos.owner", owner);
        assertThat(parsed.vncPassword()).isEqualTo("a'b\"c<d");
        assertThat(xml).doesNotContain("<x/>").doesNotContain("<kernel>").contains("<boot dev='hd'/>");
    }

    @Test
    void aDomainWithoutGenosMetadataHasNoLabels() {
        assertThat(DomainXml.parse("<domain type='kvm'><name>other</name><vcpu>1</vcpu><memory>1024</memory></domain>")
                .labels()).isEmpty();
    }

    @Test
    void domainNamesAreGenosAndTwelveHexDigitsOfTheId() {
        assertThat(LibvirtRuntime.domainName("F0E3F7DB-FE48-4a6b-9f7f-aae682911f40")).isEqualTo("genos-f0e3f7dbfe48");
    }

    @Test
    void settingsThatCannotWorkAreRefusedWithTheirName() {
        LibvirtProperties d = LibvirtProperties.defaults();
        assertThatThrownBy(() -> d.withAcceleration("fast")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("acceleration must be auto, kvm or tcg");
        assertThatThrownBy(() -> d.withDirectories(Path.of("images"), d.instancesDir()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("images-dir must be an absolute path");
        assertThatThrownBy(() -> d.withStopTimeout(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
    }
}
