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
    void furtherLabelsForAdoptionGoIntoTheOneGenosMetadataElementAndReadBack() {
        String spec = "{\"name\":\"it's <mine>\",\"resources\":{\"cpus\":2}}";
        String xml = DomainXml.withLabels(DomainXml.write(definition("alice", "pw123456", null)), java.util.Map.of(
                "io.genos.installation", "inst-1", "io.genos.name", "it's <mine>", "io.genos.expires-at", "",
                "io.genos.spec", spec));

        DomainXml.Parsed parsed = DomainXml.parse(xml);

        assertThat(parsed.labels()).containsEntry("io.genos.installation", "inst-1")
                .containsEntry("io.genos.name", "it's <mine>").containsEntry("io.genos.expires-at", "")
                .containsEntry("io.genos.spec", spec).containsEntry("io.genos.owner", "alice");
        assertThat(xml.split("xmlns:genos=", -1)).as("libvirt keeps one metadata element per namespace").hasSize(2);
        assertThat(DomainXml.withLabels(DomainXml.write(definition("alice", "pw", null)), java.util.Map.of()))
                .isEqualTo(DomainXml.write(definition("alice", "pw", null)));
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

    @Test
    void aVmOnANetworkGetsOneVirtioNicAndWithoutOneNoNicAtAll() {
        DomainXml.Definition none = definition("alice", "pw123456", Path.of("/img/vmlinuz"));
        DomainXml.Definition open = new DomainXml.Definition(none.name(), none.environmentId(), none.owner(),
                none.imageId(), none.title(), none.acceleration(), none.cpus(), none.memoryMiB(), none.disk(),
                none.base(), none.kernel(), none.initrd(), none.cmdline(), none.serialLog(), none.vncPassword(),
                LibvirtRuntime.NAT_NETWORK);

        String withNic = DomainXml.write(open);
        String withoutNic = DomainXml.write(none);

        assertThat(withNic).contains("<interface type='network'>\n      <source network='genos-nat'/>\n"
                + "      <model type='virtio'/>\n    </interface>");
        assertThat(DomainXml.parse(withNic).networks()).containsExactly("genos-nat");
        assertThat(withoutNic).doesNotContain("<interface");
        assertThat(DomainXml.parse(withoutNic).networks()).isEmpty();
    }

    @Test
    void egressOpenOrUnsetMeansTheNatNetworkAndNoneOrAllowlistMeansNoNetwork() {
        assertThat(LibvirtRuntime.network(spec(io.genos.spec.Network.Egress.OPEN))).isEqualTo("genos-nat");
        assertThat(LibvirtRuntime.network(spec(null))).isEqualTo("genos-nat");
        assertThat(LibvirtRuntime.network(spec(io.genos.spec.Network.Egress.NONE))).isNull();
        assertThat(LibvirtRuntime.network(spec(io.genos.spec.Network.Egress.ALLOWLIST))).isNull();
    }

    private static io.genos.spec.EnvironmentSpec spec(io.genos.spec.Network.Egress egress) {
        return io.genos.spec.EnvironmentSpec.builder().name("n").kind(io.genos.spec.Kind.VM)
                .network(egress == null ? null : new io.genos.spec.Network(egress, null, null)).build();
    }

    @Test
    void theNatNetworkCarriesGenosMetadataNatAndDhcpOnItsSubnet() {
        String xml = DomainXml.natNetwork("genos-nat", "genos-nat0", "192.168.150");

        assertThat(xml).contains("<name>genos-nat</name>", "<forward mode='nat'/>", "<bridge name='genos-nat0'",
                "<ip address='192.168.150.1' netmask='255.255.255.0'>",
                "<range start='192.168.150.10' end='192.168.150.250'/>");
        assertThat(DomainXml.isGenosNetwork(xml)).isTrue();
        assertThat(DomainXml.isGenosNetwork("<network><name>default</name><forward mode='nat'/></network>")).isFalse();
    }

    @Test
    void snapshotXmlEscapesItsTextAndReadsBackNameTimeAndDescription() {
        String request = DomainXml.snapshot("clean", "taken by <bob> & 'eve'");
        assertThat(request).contains("<name>clean</name>", "<description>taken by &lt;bob&gt; &amp; &apos;eve&apos;</description>");

        String fromLibvirt = "<domainsnapshot><name>clean</name><description>taken by &lt;bob&gt;</description>"
                + "<state>running</state><creationTime>1795267305</creationTime><memory snapshot='internal'/>"
                + "<domain type='qemu'><name>genos-x</name><description>not this one</description></domain>"
                + "</domainsnapshot>";
        io.genos.orchestrator.Snapshot s = DomainXml.parseSnapshot(fromLibvirt);

        assertThat(s.name()).isEqualTo("clean");
        assertThat(s.createdAt()).isEqualTo(java.time.Instant.ofEpochSecond(1795267305));
        assertThat(s.description()).isEqualTo("taken by <bob>");
        assertThat(DomainXml.snapshotState(fromLibvirt)).isEqualTo("running");
        assertThat(DomainXml.parseSnapshot("<domainsnapshot><name>n</name><creationTime>1</creationTime></domainsnapshot>")
                .description()).isNull();
    }

    @Test
    void readsTheSerialConsolePtyOfARunningDomain() {
        String live = "<domain type='qemu'><name>x</name><devices><serial type='pty'><source path='/dev/pts/7'/>"
                + "<log file='/v/serial.log' append='off'/><target port='0'/></serial></devices></domain>";

        assertThat(DomainXml.parse(live).serialPty()).isEqualTo("/dev/pts/7");
        assertThat(DomainXml.parse("<domain><name>x</name><devices><serial type='pty'><target port='0'/></serial>"
                + "</devices></domain>").serialPty()).isNull();
    }

    @Test
    void spiceGivesASpiceDisplayOnLoopbackWithThePasswordAndAQxlCardInsteadOfVnc() {
        DomainXml.Definition vnc = definition("alice", "pw123456", null);
        DomainXml.Definition spice = new DomainXml.Definition(vnc.name(), vnc.environmentId(), vnc.owner(),
                vnc.imageId(), vnc.title(), vnc.acceleration(), vnc.cpus(), vnc.memoryMiB(), vnc.disk(), vnc.base(),
                vnc.kernel(), vnc.initrd(), vnc.cmdline(), vnc.serialLog(), vnc.vncPassword(), null,
                io.genos.spec.Streaming.Protocol.SPICE);

        String xml = DomainXml.write(spice);

        assertThat(xml).contains("<graphics type='spice' autoport='yes' listen='127.0.0.1' passwd='pw123456'>",
                "<listen type='address' address='127.0.0.1'/>", "<model type='qxl'").doesNotContain("type='vnc'")
                .doesNotContain("<model type='vga'/>");
        DomainXml.Parsed parsed = DomainXml.parse(xml);
        assertThat(parsed.graphics()).isEqualTo("spice");
        assertThat(parsed.vncListen()).isEqualTo("127.0.0.1");
        assertThat(parsed.vncPassword()).isEqualTo("pw123456");
        String vncXml = DomainXml.write(vnc);
        assertThat(vncXml).contains("<graphics type='vnc'", "<model type='vga'/>").doesNotContain("spice", "qxl");
        assertThat(DomainXml.parse(vncXml).graphics()).isEqualTo("vnc");
    }

    @Test
    void readsTheSpicePortOfARunningDomainAndNoGraphicsAsNone() {
        String live = "<domain type='qemu'><name>x</name><devices><graphics type='spice' port='5903' autoport='yes' "
                + "listen='127.0.0.1'><listen type='address' address='127.0.0.1'/></graphics></devices></domain>";

        DomainXml.Parsed parsed = DomainXml.parse(live);

        assertThat(parsed.vncPort()).isEqualTo(5903);
        assertThat(parsed.graphics()).isEqualTo("spice");
        assertThat(DomainXml.parse("<domain><name>x</name></domain>").graphics()).isNull();
    }

    @Test
    void aVmIsShownOverSpiceWhenTheSpecAsksOrTheImageSpeaksOnlySpiceElseOverVnc() {
        io.genos.spec.catalog.CatalogImage vncOnly = TinyVm.image();
        io.genos.spec.catalog.CatalogImage spiceOnly = new io.genos.spec.catalog.CatalogImage("win", io.genos.spec.Kind.VM,
                new io.genos.spec.Os("windows", "windows", "11"), io.genos.spec.Desktop.WINDOWS,
                java.util.List.of(io.genos.spec.Streaming.Protocol.SPICE), vncOnly.defaults(), null, "/srv/win.qcow2", 0,
                "registered");
        LibvirtRuntime runtime = new LibvirtRuntime(LibvirtProperties.defaults());

        assertThat(runtime.displayProtocol(resolution(vncOnly, io.genos.spec.Streaming.Protocol.SPICE)))
                .isEqualTo(io.genos.spec.Streaming.Protocol.SPICE);
        assertThat(runtime.displayProtocol(resolution(vncOnly, io.genos.spec.Streaming.Protocol.VNC)))
                .isEqualTo(io.genos.spec.Streaming.Protocol.VNC);
        assertThat(runtime.displayProtocol(resolution(vncOnly, null))).isEqualTo(io.genos.spec.Streaming.Protocol.VNC);
        assertThat(runtime.displayProtocol(resolution(spiceOnly, null))).isEqualTo(io.genos.spec.Streaming.Protocol.SPICE);
    }

    @Test
    void aRegisteredImageIsNamedByTheAbsolutePathOfItsQcow2AndNothingElseIs() {
        assertThat(LibvirtRuntime.external(image("/srv/images/win11.qcow2"))).isTrue();
        assertThat(LibvirtRuntime.external(image("debian-tiny-vm"))).isFalse();
        assertThat(LibvirtRuntime.external(image("/srv/../etc/shadow"))).as("not normalised").isFalse();
        assertThat(LibvirtRuntime.external(image("/"))).isFalse();
    }

    private static io.genos.spec.catalog.CatalogImage image(String reference) {
        io.genos.spec.catalog.CatalogImage t = TinyVm.image();
        return new io.genos.spec.catalog.CatalogImage("x", t.kind(), t.os(), t.desktop(), t.protocols(), t.defaults(),
                t.packages(), reference, 0, null);
    }

    private static io.genos.spec.catalog.Resolution resolution(io.genos.spec.catalog.CatalogImage image,
            io.genos.spec.Streaming.Protocol protocol) {
        io.genos.spec.EnvironmentSpec spec = io.genos.spec.EnvironmentSpec.builder().name("s").kind(io.genos.spec.Kind.VM)
                .image(image.id()).streaming(protocol == null ? null : new io.genos.spec.Streaming(protocol, null, null))
                .build();
        return new io.genos.spec.catalog.Resolution(spec, image, java.util.List.of());
    }

    @Test
    void rdpKeepsTheVncConsoleAndSaysInTheMetadataThatTheDisplayIsTheGuestsRdp() {
        DomainXml.Definition vnc = definition("alice", "pw123456", null);
        DomainXml.Definition rdp = new DomainXml.Definition(vnc.name(), vnc.environmentId(), vnc.owner(),
                vnc.imageId(), vnc.title(), vnc.acceleration(), vnc.cpus(), vnc.memoryMiB(), vnc.disk(), vnc.base(),
                vnc.kernel(), vnc.initrd(), vnc.cmdline(), vnc.serialLog(), vnc.vncPassword(), LibvirtRuntime.NAT_NETWORK,
                io.genos.spec.Streaming.Protocol.RDP);

        String xml = DomainXml.write(rdp);

        assertThat(xml).contains("display='rdp'", "<graphics type='vnc'");
        assertThat(DomainXml.parse(xml).labels()).containsEntry(LibvirtRuntime.LABEL_DISPLAY, "rdp");
        assertThat(DomainXml.parse(DomainXml.write(vnc)).labels()).doesNotContainKey(LibvirtRuntime.LABEL_DISPLAY);
    }

    @Test
    void anRdpImageIsShownOverRdpAndNeedsANetworkToBeReached() {
        io.genos.spec.catalog.CatalogImage t = TinyVm.image();
        io.genos.spec.catalog.CatalogImage rdpOnly = new io.genos.spec.catalog.CatalogImage("win-rdp", t.kind(), t.os(),
                io.genos.spec.Desktop.WINDOWS, java.util.List.of(io.genos.spec.Streaming.Protocol.RDP), t.defaults(),
                null, "/srv/win.qcow2", 0, null);
        LibvirtRuntime runtime = new LibvirtRuntime(LibvirtProperties.defaults().withAcceleration("tcg"));

        assertThat(runtime.displayProtocol(resolution(rdpOnly, null))).isEqualTo(io.genos.spec.Streaming.Protocol.RDP);
        assertThat(runtime.displayProtocol(resolution(rdpOnly, io.genos.spec.Streaming.Protocol.VNC)))
                .as("the image speaks nothing else").isEqualTo(io.genos.spec.Streaming.Protocol.RDP);
        assertThat(runtime.displayProtocol(resolution(t, io.genos.spec.Streaming.Protocol.RDP)))
                .as("the tiny VM has no RDP server").isEqualTo(io.genos.spec.Streaming.Protocol.VNC);
        io.genos.spec.catalog.Resolution none = resolution(rdpOnly, null);
        io.genos.spec.catalog.Resolution isolated = new io.genos.spec.catalog.Resolution(none.spec().toBuilder()
                .network(new io.genos.spec.Network(io.genos.spec.Network.Egress.NONE, null, null)).build(), rdpOnly,
                java.util.List.of());
        assertThatThrownBy(() -> runtime.check(isolated)).isInstanceOf(io.genos.orchestrator.InvalidRequestException.class)
                .hasMessage("win-rdp is shown over RDP, which GenOS reaches over the VM's network, and egress none gives "
                        + "it none: ask for egress open");
        assertThat(runtime.check(none)).noneMatch(w -> w.contains("rdp"));
    }
}
