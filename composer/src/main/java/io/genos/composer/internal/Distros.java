package io.genos.composer.internal;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Operating systems people name: distributions with their aliases, families, and release code names
 * (bookworm = Debian 12, jammy = Ubuntu 22.04, ...).
 */
final class Distros {

    /** A distribution: its family, lower-case name, and an implied desktop (kubuntu = KDE), or null. */
    record Distro(String family, String distro, String desktop) {}

    /** A code name: the distribution and version it stands for. */
    record Release(String distro, String version) {}

    /** Aliases as word sequences; the longest is tried first. */
    static final List<Map.Entry<List<String>, Distro>> ALIASES = List.of(
            e("red hat enterprise linux", "linux", "rhel"), e("windows server", "windows", "windows"),
            e("raspberry pi os", "linux", "debian"), e("rocky linux", "linux", "rocky"),
            e("alma linux", "linux", "almalinux"), e("arch linux", "linux", "arch"), e("linux mint", "linux", "linuxmint"),
            e("oracle linux", "linux", "oraclelinux"), e("amazon linux", "linux", "amazonlinux"),
            e("void linux", "linux", "void"), e("clear linux", "linux", "clearlinux"), e("kali linux", "linux", "kali"),
            e("pop os", "linux", "pop"), e("elementary os", "linux", "elementary"), e("open suse", "linux", "opensuse"),
            e("centos stream", "linux", "centos"), e("red hat", "linux", "rhel"), e("redhat", "linux", "rhel"),
            e("rhel", "linux", "rhel"), e("debian", "linux", "debian"), e("ubuntu", "linux", "ubuntu"),
            e("kubuntu", "linux", "ubuntu", "kde"), e("xubuntu", "linux", "ubuntu", "xfce"),
            e("lubuntu", "linux", "ubuntu", "lxqt"), e("fedora", "linux", "fedora"), e("alpine", "linux", "alpine"),
            e("arch", "linux", "arch"), e("archlinux", "linux", "arch"), e("manjaro", "linux", "manjaro"),
            e("endeavouros", "linux", "endeavouros"), e("centos", "linux", "centos"), e("rocky", "linux", "rocky"),
            e("rockylinux", "linux", "rocky"), e("alma", "linux", "almalinux"), e("almalinux", "linux", "almalinux"),
            e("opensuse", "linux", "opensuse"), e("suse", "linux", "opensuse"), e("sles", "linux", "sles"),
            e("mint", "linux", "linuxmint"), e("kali", "linux", "kali"), e("gentoo", "linux", "gentoo"),
            e("nixos", "linux", "nixos"), e("slackware", "linux", "slackware"), e("raspbian", "linux", "debian"),
            e("devuan", "linux", "devuan"), e("freebsd", "bsd", "freebsd"), e("openbsd", "bsd", "openbsd"),
            e("netbsd", "bsd", "netbsd"), e("dragonflybsd", "bsd", "dragonflybsd"), e("windows", "windows", "windows"),
            e("win", "windows", "windows"), e("linux", "linux", null), e("gnu linux", "linux", null));

    /** Words that are a distribution only next to "linux", a version or another cue. */
    static final Set<String> AMBIGUOUS = Set.of("arch", "mint", "win", "alma", "rocky", "void", "clear", "kali");

    static final Map<String, Release> CODE_NAMES = Map.ofEntries(
            Map.entry("jessie", new Release("debian", "8")), Map.entry("stretch", new Release("debian", "9")),
            Map.entry("buster", new Release("debian", "10")), Map.entry("bullseye", new Release("debian", "11")),
            Map.entry("bookworm", new Release("debian", "12")), Map.entry("trixie", new Release("debian", "13")),
            Map.entry("forky", new Release("debian", "14")), Map.entry("sid", new Release("debian", "unstable")),
            Map.entry("trusty", new Release("ubuntu", "14.04")), Map.entry("xenial", new Release("ubuntu", "16.04")),
            Map.entry("bionic", new Release("ubuntu", "18.04")), Map.entry("focal", new Release("ubuntu", "20.04")),
            Map.entry("jammy", new Release("ubuntu", "22.04")), Map.entry("kinetic", new Release("ubuntu", "22.10")),
            Map.entry("lunar", new Release("ubuntu", "23.04")), Map.entry("mantic", new Release("ubuntu", "23.10")),
            Map.entry("noble", new Release("ubuntu", "24.04")), Map.entry("oracular", new Release("ubuntu", "24.10")),
            Map.entry("plucky", new Release("ubuntu", "25.04")), Map.entry("questing", new Release("ubuntu", "25.10")),
            Map.entry("tumbleweed", new Release("opensuse", "tumbleweed")),
            Map.entry("rawhide", new Release("fedora", "rawhide")),
            Map.entry("win10", new Release("windows", "10")), Map.entry("win11", new Release("windows", "11")),
            Map.entry("win7", new Release("windows", "7")));

    /** Debian's suite names after "debian". */
    static final Map<String, String> DEBIAN_SUITES = Map.of("stable", "12", "oldstable", "11", "testing", "13",
            "unstable", "unstable");

    /** The newest LTS, for "ubuntu lts". */
    static final String UBUNTU_LTS = "24.04";

    private Distros() {}

    static String familyOf(String distro) {
        for (var e : ALIASES) {
            if (distro.equals(e.getValue().distro())) {
                return e.getValue().family();
            }
        }
        return "linux";
    }

    private static Map.Entry<List<String>, Distro> e(String words, String family, String distro) {
        return e(words, family, distro, null);
    }

    private static Map.Entry<List<String>, Distro> e(String words, String family, String distro, String desktop) {
        return Map.entry(List.of(words.split(" ")), new Distro(family, distro, desktop));
    }
}
