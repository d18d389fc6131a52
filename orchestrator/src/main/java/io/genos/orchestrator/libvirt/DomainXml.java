package io.genos.orchestrator.libvirt;

import java.io.StringReader;
import io.genos.orchestrator.Snapshot;
import io.genos.spec.Streaming.Protocol;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

/**
 * Writes the libvirt XML of a GenOS VM (domain), of the network for VMs with egress open and of a snapshot, and reads
 * back what GenOS needs from domain and snapshot XML.
 */
final class DomainXml {
    static final String NAMESPACE = "https://genos.io/xmlns/environment/1";

    /**
     * Everything a GenOS domain is made of. {@code kernel} is null for booting from the disk; {@code base} (the
     * overlay's standalone backing image) is named so that libvirt leaves its owner alone: shared by every VM of that
     * image, it must stay read-only to QEMU. {@code network} names the libvirt network of the VM's one virtio NIC; null
     * gives the VM no network device at all. {@code display} SPICE gives the VM a SPICE display (and a QXL video card)
     * instead of VNC, on the same loopback address and with the same password ({@code vncPassword}); RDP keeps the VNC
     * console and records in the metadata that the display is the guest's own RDP server (null means VNC).
     */
    record Definition(String name, String environmentId, String owner, String imageId, String title,
            Acceleration acceleration, int cpus, int memoryMiB, Path disk, Path base, Path kernel, Path initrd,
            String cmdline, Path serialLog, String vncPassword, String network, Protocol display) {

        boolean spice() {
            return display == Protocol.SPICE;
        }

        /** A VM with a VNC display. */
        Definition(String name, String environmentId, String owner, String imageId, String title,
                Acceleration acceleration, int cpus, int memoryMiB, Path disk, Path base, Path kernel, Path initrd,
                String cmdline, Path serialLog, String vncPassword, String network) {
            this(name, environmentId, owner, imageId, title, acceleration, cpus, memoryMiB, disk, base, kernel, initrd,
                    cmdline, serialLog, vncPassword, network, null);
        }

        /** A VM without a network device. */
        Definition(String name, String environmentId, String owner, String imageId, String title,
                Acceleration acceleration, int cpus, int memoryMiB, Path disk, Path base, Path kernel, Path initrd,
                String cmdline, Path serialLog, String vncPassword) {
            this(name, environmentId, owner, imageId, title, acceleration, cpus, memoryMiB, disk, base, kernel, initrd,
                    cmdline, serialLog, vncPassword, null);
        }
    }

    /**
     * What GenOS reads from a domain: its metadata, when running the VNC port (null when not known) and the serial
     * console's pty (null when not known), and the libvirt networks its NICs are on. The {@code vnc*} fields describe
     * the domain's first display, VNC or SPICE: {@code graphics} says which ({@code vnc}, {@code spice}, null: none).
     */
    record Parsed(Map<String, String> labels, Integer vncPort, String vncListen, String vncPassword, int vcpus,
            long memoryKiB, String type, List<String> networks, String serialPty, String graphics) {}

    /**
     * The NAT network of VMs with egress open: a bridge with libvirt's DHCP (dnsmasq) on {@code <prefix>.1/24}, leases
     * from {@code .10} to {@code .250}, traffic to the outside masqueraded; GenOS metadata marks it as GenOS's.
     */
    static String natNetwork(String name, String bridge, String prefix24) {
        return "<network>\n"
                + "  <name>" + esc(name) + "</name>\n"
                + "  <metadata>\n    <genos:network xmlns:genos='" + NAMESPACE + "' product='genos' egress='open'/>\n"
                + "  </metadata>\n"
                + "  <forward mode='nat'/>\n"
                + "  <bridge name='" + esc(bridge) + "' stp='on' delay='0'/>\n"
                + "  <ip address='" + esc(prefix24) + ".1' netmask='255.255.255.0'>\n"
                + "    <dhcp><range start='" + esc(prefix24) + ".10' end='" + esc(prefix24) + ".250'/></dhcp>\n"
                + "  </ip>\n"
                + "</network>\n";
    }

    /** Whether a network's XML carries GenOS's metadata (GenOS created it and may remove it). */
    static boolean isGenosNetwork(String xml) {
        Element root = document(xml).getDocumentElement();
        NodeList n = root.getElementsByTagNameNS(NAMESPACE, "network");
        return n.getLength() > 0 && "genos".equals(((Element) n.item(0)).getAttribute("product"));
    }

    /** The XML asking libvirt for a snapshot of this name; libvirt chooses what it holds (see LibvirtRuntime). */
    static String snapshot(String name, String description) {
        return "<domainsnapshot>\n  <name>" + esc(name) + "</name>\n"
                + (description == null ? "" : "  <description>" + esc(description) + "</description>\n")
                + "</domainsnapshot>\n";
    }

    /** Reads a snapshot's XML: its name, creation time and description. */
    static Snapshot parseSnapshot(String xml) {
        Element root = document(xml).getDocumentElement();
        String name = directChild(root, "name");
        String created = directChild(root, "creationTime");
        String description = directChild(root, "description");
        if (name == null || created == null) {
            throw new IllegalStateException("libvirt returned snapshot XML without a name or creation time");
        }
        return new Snapshot(name, Instant.ofEpochSecond(Long.parseLong(created)), description);
    }

    /** The snapshot's state as libvirt records it: {@code running}, {@code shutoff}, {@code disk-snapshot}... */
    static String snapshotState(String xml) {
        return directChild(document(xml).getDocumentElement(), "state");
    }

    private static String directChild(Element parent, String tag) {
        for (var n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && tag.equals(e.getTagName())) {
                return e.getTextContent().strip();
            }
        }
        return null;
    }

    private DomainXml() {}

    static String write(Definition d) {
        StringBuilder x = new StringBuilder();
        x.append("<domain type='").append(d.acceleration().domainType()).append("'>\n");
        x.append("  <name>").append(esc(d.name())).append("</name>\n");
        x.append("  <title>").append(esc(d.title())).append("</title>\n");
        x.append("  <metadata>\n");
        x.append("    <genos:env xmlns:genos='").append(NAMESPACE).append("' id='").append(esc(d.environmentId()))
                .append("' owner='").append(esc(d.owner())).append("' product='genos' image='")
                .append(esc(d.imageId())).append("' acceleration='").append(d.acceleration().label()).append("'")
                .append(d.display() == null ? "" : " display='" + d.display().json() + "'").append("/>\n");
        x.append("  </metadata>\n");
        x.append("  <memory unit='MiB'>").append(d.memoryMiB()).append("</memory>\n");
        x.append("  <vcpu placement='static'>").append(d.cpus()).append("</vcpu>\n");
        x.append("  <os>\n    <type arch='x86_64' machine='pc'>hvm</type>\n");
        if (d.kernel() != null) {
            x.append("    <kernel>").append(esc(d.kernel().toString())).append("</kernel>\n");
            if (d.initrd() != null) {
                x.append("    <initrd>").append(esc(d.initrd().toString())).append("</initrd>\n");
            }
            x.append("    <cmdline>").append(esc(d.cmdline())).append("</cmdline>\n");
        } else {
            x.append("    <boot dev='hd'/>\n");
        }
        x.append("  </os>\n");
        x.append("  <features><acpi/></features>\n");
        x.append("  <on_poweroff>destroy</on_poweroff>\n  <on_reboot>restart</on_reboot>\n  <on_crash>destroy</on_crash>\n");
        x.append("  <devices>\n");
        if (d.disk() != null) {
            x.append("    <disk type='file' device='disk'>\n      <driver name='qemu' type='qcow2'/>\n      <source file='")
                    .append(esc(d.disk().toString())).append("'/>\n");
            if (d.base() != null) {
                x.append("      <backingStore type='file'>\n        <format type='qcow2'/>\n        <source file='")
                        .append(esc(d.base().toString())).append("'>\n          <seclabel model='dac' relabel='no'/>\n")
                        .append("        </source>\n        <backingStore/>\n      </backingStore>\n");
            }
            x.append("      <target dev='vda' bus='virtio'/>\n    </disk>\n");
        }
        if (d.network() != null) {
            x.append("    <interface type='network'>\n      <source network='").append(esc(d.network()))
                    .append("'/>\n      <model type='virtio'/>\n    </interface>\n");
        }
        x.append("    <serial type='pty'>\n      <log file='").append(esc(d.serialLog().toString()))
                .append("' append='off'/>\n      <target port='0'/>\n    </serial>\n");
        x.append("    <console type='pty'><target type='serial' port='0'/></console>\n");
        if (d.vncPassword() != null && d.spice()) {
            x.append("    <graphics type='spice' autoport='yes' listen='127.0.0.1' passwd='").append(esc(d.vncPassword()))
                    .append("'>\n      <listen type='address' address='127.0.0.1'/>\n    </graphics>\n");
            x.append("    <video><model type='qxl' vram='16384' heads='1' primary='yes'/></video>\n");
        } else if (d.vncPassword() != null) {
            x.append("    <graphics type='vnc' autoport='yes' listen='127.0.0.1' passwd='").append(esc(d.vncPassword()))
                    .append("'>\n      <listen type='address' address='127.0.0.1'/>\n    </graphics>\n");
            x.append("    <video><model type='vga'/></video>\n");
        } else {
            x.append("    <video><model type='none'/></video>\n");
        }
        x.append("    <memballoon model='none'/>\n");
        x.append("  </devices>\n</domain>\n");
        return x.toString();
    }

    /**
     * Adds further labels to the {@code genos:env} metadata of XML made by {@link #write}, as
     * {@code <genos:label name='KEY'>VALUE</genos:label>} children (libvirt allows one metadata element per
     * namespace); {@link #parse} reads them back among the labels.
     */
    static String withLabels(String xml, Map<String, String> labels) {
        if (labels == null || labels.isEmpty()) {
            return xml;
        }
        int env = xml.indexOf("<genos:env ");
        int end = env < 0 ? -1 : xml.indexOf("/>", env);
        if (end < 0) {
            throw new IllegalArgumentException("no genos:env metadata in this XML");
        }
        StringBuilder children = new StringBuilder(">\n");
        labels.forEach((k, v) -> children.append("      <genos:label name='").append(esc(k)).append("'>")
                .append(esc(v == null ? "" : v)).append("</genos:label>\n"));
        children.append("    </genos:env>");
        return xml.substring(0, end) + children + xml.substring(end + 2);
    }

    /** Reads a domain's XML; the labels are empty when it carries no GenOS metadata. */
    static Parsed parse(String xml) {
        Document doc = document(xml);
        Element root = doc.getDocumentElement();
        Map<String, String> labels = new LinkedHashMap<>();
        NodeList env = root.getElementsByTagNameNS(NAMESPACE, "env");
        if (env.getLength() > 0) {
            Element e = (Element) env.item(0);
            put(labels, LibvirtRuntime.LABEL_PRODUCT, e.getAttribute("product"));
            put(labels, LibvirtRuntime.LABEL_ENVIRONMENT, e.getAttribute("id"));
            put(labels, LibvirtRuntime.LABEL_OWNER, e.getAttribute("owner"));
            put(labels, LibvirtRuntime.LABEL_IMAGE, e.getAttribute("image"));
            put(labels, LibvirtRuntime.LABEL_ACCELERATION, e.getAttribute("acceleration"));
            put(labels, LibvirtRuntime.LABEL_DISPLAY, e.getAttribute("display"));
            NodeList extra = e.getElementsByTagNameNS(NAMESPACE, "label");
            for (int i = 0; i < extra.getLength(); i++) {
                Element l = (Element) extra.item(i);
                labels.putIfAbsent(l.getAttribute("name"), l.getTextContent());
            }
        }
        Integer port = null;
        String listen = null;
        String password = null;
        String graphicsType = null;
        NodeList graphics = root.getElementsByTagName("graphics");
        for (int i = 0; i < graphics.getLength(); i++) {
            Element g = (Element) graphics.item(i);
            if ("vnc".equals(g.getAttribute("type")) || "spice".equals(g.getAttribute("type"))) {
                graphicsType = g.getAttribute("type");
                String p = g.getAttribute("port");
                if (!p.isEmpty() && !"-1".equals(p)) {
                    port = Integer.valueOf(p);
                }
                listen = g.getAttribute("listen");
                password = g.hasAttribute("passwd") ? g.getAttribute("passwd") : null;
                break;
            }
        }
        int vcpus = Integer.parseInt(text(root, "vcpu", "0"));
        long memoryKiB = Long.parseLong(text(root, "memory", "0"));
        List<String> networks = new ArrayList<>();
        NodeList interfaces = root.getElementsByTagName("interface");
        for (int i = 0; i < interfaces.getLength(); i++) {
            Element nic = (Element) interfaces.item(i);
            NodeList sources = nic.getElementsByTagName("source");
            if ("network".equals(nic.getAttribute("type")) && sources.getLength() > 0) {
                networks.add(((Element) sources.item(0)).getAttribute("network"));
            }
        }
        String pty = null;
        NodeList serials = root.getElementsByTagName("serial");
        if (serials.getLength() > 0) {
            NodeList sources = ((Element) serials.item(0)).getElementsByTagName("source");
            if (sources.getLength() > 0 && !((Element) sources.item(0)).getAttribute("path").isEmpty()) {
                pty = ((Element) sources.item(0)).getAttribute("path");
            }
        }
        return new Parsed(labels, port, listen, password, vcpus, memoryKiB, root.getAttribute("type"),
                List.copyOf(networks), pty, graphicsType);
    }

    private static String text(Element root, String tag, String fallback) {
        NodeList n = root.getElementsByTagName(tag);
        return n.getLength() == 0 ? fallback : n.item(0).getTextContent().strip();
    }

    private static void put(Map<String, String> labels, String key, String value) {
        if (value != null && !value.isEmpty()) {
            labels.put(key, value);
        }
    }

    private static Document document(String xml) {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(true);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            return f.newDocumentBuilder().parse(new InputSource(new StringReader(xml)));
        } catch (Exception e) {
            throw new IllegalStateException("libvirt returned domain XML that cannot be read: " + e.getMessage(), e);
        }
    }

    static String esc(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '\'' -> b.append("&apos;");
                case '"' -> b.append("&quot;");
                default -> b.append(c < 0x20 && c != '\t' && c != '\n' ? ' ' : c);
            }
        }
        return b.toString();
    }
}
