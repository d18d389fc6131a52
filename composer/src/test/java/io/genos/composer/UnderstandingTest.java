package io.genos.composer;

import static io.genos.composer.Compose.spec;
import static org.assertj.core.api.Assertions.assertThat;

import io.genos.spec.Desktop;
import io.genos.spec.Kind;
import io.genos.spec.Network;
import io.genos.spec.Streaming;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Operating systems, desktops, kinds, streaming, network and lifetimes, one phrasing after another. */
class UnderstandingTest {

    @ParameterizedTest(name = "{0} -> {1} {2} {3}")
    @CsvSource(delimiter = '|', value = {
            "a bookworm box | linux | debian | 12",
            "bullseye container | linux | debian | 11",
            "Ubuntu Focal desktop | linux | ubuntu | 20.04",
            "ubuntu noble vm | linux | ubuntu | 24.04",
            "an ubuntu 22 server | linux | ubuntu | 22.04",
            "fedora 41 workstation | linux | fedora | 41",
            "alpine 3.20 container | linux | alpine | 3.20",
            "Rocky Linux 9 vm | linux | rocky | 9",
            "centos stream 9 box | linux | centos | 9",
            "Windows 11 desktop | windows | windows | 11",
            "win10 vm | windows | windows | 10",
            "windows server 2022 box | windows | windows | 2022",
            "FreeBSD 14.1 please | bsd | freebsd | 14.1",
            "debian stable container | linux | debian | 12"})
    void readsDistributionsVersionsAndCodeNames(String request, String family, String distro, String version) {
        var os = spec(request).os();
        assertThat(os.family()).isEqualTo(family);
        assertThat(os.distro()).isEqualTo(distro);
        assertThat(os.version()).isEqualTo(version);
    }

    @Test
    void anAmbiguousWordIsNotADistributionOutOfContext() {
        assertThat(spec("a debian box for my cpu arch experiments").os().distro()).isEqualTo("debian");
        assertThat(spec("a box to win at chess, debian").os().family()).isEqualTo("linux");
    }

    @Test
    void aWindowsDesktopIsReachedOverRdpUnlessTheUserSaysOtherwise() {
        assertThat(spec("Windows 11 with 8 GB").streaming().protocol()).isEqualTo(Streaming.Protocol.RDP);
        assertThat(spec("Windows 11 over VNC").streaming().protocol()).isEqualTo(Streaming.Protocol.VNC);
    }

    @Test
    void windowsAndBsdAreVirtualMachines() {
        assertThat(spec("Windows 10 with 8 GB").kind()).isEqualTo(Kind.VM);
        assertThat(spec("Windows 10 with 8 GB").desktop()).isEqualTo(Desktop.WINDOWS);
        assertThat(spec("an openbsd box").kind()).isEqualTo(Kind.VM);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "xfce4 desktop | XFCE",
            "debian with gnome | GNOME",
            "KDE Plasma on fedora | KDE",
            "plasma desktop | KDE",
            "lxqt box | LXQT",
            "mate on ubuntu | MATE",
            "cinnamon please | CINNAMON",
            "kubuntu 24.04 | KDE",
            "a graphical environment with debian | XFCE",
            "a GUI box | XFCE",
            "headless ubuntu | NONE",
            "no gui, debian, python | NONE",
            "debian without a desktop | NONE",
            "a command line only box | NONE",
            "just a shell on alpine | NONE",
            "CLI-only container | NONE",
            "terminal only, python | NONE"})
    void readsDesktops(String request, Desktop desktop) {
        assertThat(spec(request).desktop()).isEqualTo(desktop);
    }

    @Test
    void aNamedDesktopWinsOverATerminalMentionedBesideIt() {
        assertThat(spec("a KDE desktop with a terminal and vim").desktop()).isEqualTo(Desktop.KDE);
    }

    @Test
    void anUnofferedDesktopFallsBackWithAWarning() {
        var r = Compose.result("debian with the budgie desktop");
        assertThat(r.spec().desktop()).isEqualTo(Desktop.XFCE);
        assertThat(r.warnings()).anyMatch(w -> w.contains("BUDGIE"));
    }

    @Test
    void graphicalSoftwareImpliesADesktopOnlyWhenNoneWasChosen() {
        assertThat(spec("a box with libreoffice").desktop()).isEqualTo(Desktop.XFCE);
        assertThat(spec("headless box with firefox for testing").desktop()).isEqualTo(Desktop.NONE);
    }

    @Test
    void aRequestThatSaysNothingAboutADesktopLeavesItToTheCatalog() {
        assertThat(spec("debian box with 2 cpus").desktop()).isNull();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "a full VM with debian | VM",
            "a virtual machine, ubuntu | VM",
            "a lightweight debian environment | CONTAINER",
            "a container with git | CONTAINER",
            "not a VM, just a small debian box | CONTAINER",
            "debian, but not a container | VM",
            "a box where I can load kernel modules | VM",
            "I need to reboot it and test systemd services | VM",
            "nested docker for CI experiments | VM",
            "a sandbox with strong isolation | VM",
            "a docker container with redis | CONTAINER",
            "python box | CONTAINER"})
    void readsContainerOrVmCues(String request, Kind kind) {
        assertThat(spec(request).kind()).isEqualTo(kind);
    }

    @Test
    void anExplicitContainerIsKeptWithAWarningWhenSomethingWantsAKernel() {
        var r = Compose.result("a container where I can build kernel modules");
        assertThat(r.spec().kind()).isEqualTo(Kind.CONTAINER);
        assertThat(r.warnings()).anyMatch(w -> w.contains("needs a VM"));
    }

    @Test
    void readsStreamingProtocolsAndResolutions() {
        assertThat(spec("xfce box over RDP").streaming().protocol()).isEqualTo(Streaming.Protocol.RDP);
        assertThat(spec("spice console on a vm, gnome").streaming().protocol()).isEqualTo(Streaming.Protocol.SPICE);
        var s = spec("debian desktop at 1600x900 over vnc").streaming();
        assertThat(s.protocol()).isEqualTo(Streaming.Protocol.VNC);
        assertThat(s.width()).isEqualTo(1600);
        assertThat(s.height()).isEqualTo(900);
        assertThat(spec("gnome desktop in 4K").streaming().width()).isEqualTo(3840);
        assertThat(spec("xfce at 1080p").streaming().height()).isEqualTo(1080);
        assertThat(spec("xfce in full hd").streaming().width()).isEqualTo(1920);
    }

    @Test
    void sshWithoutADesktopIsATerminalOverSsh() {
        var s = spec("alpine box I can ssh into");
        assertThat(s.streaming().protocol()).isEqualTo(Streaming.Protocol.SSH);
        assertThat(s.desktop()).isEqualTo(Desktop.NONE);
    }

    @Test
    void sshBesideADesktopInstallsAnSshServer() {
        var s = spec("an xfce desktop that I can also ssh into");
        assertThat(s.desktop()).isEqualTo(Desktop.XFCE);
        assertThat(s.packages()).contains("openssh-server");
    }

    @Test
    void readsEgress() {
        assertThat(spec("debian box, offline").network().egress()).isEqualTo(Network.Egress.NONE);
        assertThat(spec("air gapped container").network().egress()).isEqualTo(Network.Egress.NONE);
        assertThat(spec("ubuntu without internet access").network().egress()).isEqualTo(Network.Egress.NONE);
        assertThat(spec("ubuntu with internet").network().egress()).isEqualTo(Network.Egress.OPEN);
        assertThat(spec("ubuntu box").network()).isNull();
    }

    @Test
    void readsAllowlistsOfHostsAndWellKnownServices() {
        var n = spec("python container that can only reach pypi and github").network();
        assertThat(n.egress()).isEqualTo(Network.Egress.ALLOWLIST);
        assertThat(n.allow()).containsExactly("pypi.org", "github.com");
        var m = spec("restrict egress to registry.npmjs.org and 10.0.0.5, node box").network();
        assertThat(m.allow()).containsExactly("registry.npmjs.org", "10.0.0.5");
    }

    @Test
    void aHostNamedWithoutARestrictionDoesNotCloseTheNetwork() {
        assertThat(spec("debian box to clone github.com/genos/genos").network()).isNull();
    }

    @Test
    void readsPortsInListsAndFromServiceNames() {
        assertThat(spec("nginx box, open ports 80, 443 and 8443").network().ports()).containsExactly(80, 443, 8443);
        assertThat(spec("jupyter container, expose jupyter").network().ports()).containsExactly(8888);
    }

    @ParameterizedTest(name = "{0} -> ttl {1}")
    @CsvSource(delimiter = '|', value = {
            "debian box for 3 hours | PT3H",
            "shell for 45 min | PT45M",
            "a desktop for half an hour | PT30M",
            "xfce for an hour and a half | PT1H30M",
            "box for 1h30m | PT1H30M",
            "ubuntu for two days | P2D",
            "a vm for a week | P7D",
            "debian until tomorrow | P1D",
            "container that expires after 90 minutes | PT1H30M",
            "give me a shell for a couple of hours | PT2H"})
    void readsTimeToLive(String request, String ttl) {
        assertThat(spec(request).lifetime().ttl()).isEqualTo(ttl);
    }

    @Test
    void tellsAnIdleTimeoutFromATimeToLive() {
        var l = spec("gnome for 4 hours, stop it when idle for 25 minutes").lifetime();
        assertThat(l.ttl()).isEqualTo("PT4H");
        assertThat(l.idleTimeout()).isEqualTo("PT25M");
        assertThat(spec("debian, suspend after 10 minutes of inactivity").lifetime().idleTimeout()).isEqualTo("PT10M");
    }

    @Test
    void namesAreDnsLabelsMadeOfWhatWasAsked() {
        assertThat(spec("Debian 12 desktop with XFCE").name()).isEqualTo("debian-12-xfce");
        assertThat(spec("postgres playground on a vm").name()).isEqualTo("postgres-vm");
        assertThat(spec("C++ and C# dev box with a really long list of things on ubuntu 22.04 and gnome").name())
                .matches("^[a-z0-9]([a-z0-9-]{0,38}[a-z0-9])?$");
    }

    @Test
    void anImageDescribedByEveryPartOfItsIdIsChosenAndTheRealDebianVmOtherwise() {
        var catalog = io.genos.spec.catalog.Catalog.builtIn();
        assertThat(spec("a tiny Debian VM").image()).isEqualTo("debian-tiny-vm");
        assertThat(catalog.resolve(spec("a tiny Debian VM")).image().id()).isEqualTo("debian-tiny-vm");
        assertThat(spec("a Debian VM").image()).isNull();
        assertThat(catalog.resolve(spec("a Debian VM")).image().id()).isEqualTo("debian-vm");
        assertThat(catalog.resolve(spec("a Debian 12 VM with systemd")).image().id()).isEqualTo("debian-vm");
        // an id of two parts is what distribution and desktop already say: it names no image
        assertThat(spec("debian xfce box").image()).isNull();
    }

    @Test
    void aNamedImageOfAnotherKindDoesNotOutliveAChangeOfKind() {
        var s = spec("a tiny Debian VM", "make it a container instead");
        assertThat(s.kind()).isEqualTo(Kind.CONTAINER);
        assertThat(s.image()).isNull();
        assertThat(spec("debian-openbox please", "make it a VM instead").image()).isNull();
        assertThat(spec("debian-openbox please").image()).isEqualTo("debian-openbox");
    }
}
