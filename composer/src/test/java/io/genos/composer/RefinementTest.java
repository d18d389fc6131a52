package io.genos.composer;

import static io.genos.composer.Compose.spec;
import static org.assertj.core.api.Assertions.assertThat;

import io.genos.spec.Desktop;
import io.genos.spec.Kind;
import org.junit.jupiter.api.Test;

/** Later turns refine what the earlier ones asked for. */
class RefinementTest {

    @Test
    void aBareSizeInALaterTurnSetsTheMemory() {
        assertThat(spec("debian xfce box", "make it 8 GB").resources().memoryMiB()).isEqualTo(8192);
    }

    @Test
    void aLaterCountReplacesAnEarlierOne() {
        assertThat(spec("gnome box", "with 2 cpus", "hmm, 5 cpus").resources().cpus()).isEqualTo(5);
    }

    @Test
    void doublesHalvesAndAddsRelativeToWhatWasAsked() {
        assertThat(spec("debian with 6 GB RAM", "double the memory").resources().memoryMiB()).isEqualTo(12288);
        assertThat(spec("debian with 6 GB RAM", "halve the ram").resources().memoryMiB()).isEqualTo(3072);
        assertThat(spec("debian with 3 cores", "add 2 more cores").resources().cpus()).isEqualTo(5);
        assertThat(spec("debian with 3 cores", "more CPUs").resources().cpus()).isEqualTo(6);
        assertThat(spec("debian with a 40 GB disk", "increase the disk by 10 GB").resources().diskGiB())
                .isEqualTo(50);
    }

    @Test
    void relativeChangesStartFromTheCatalogDefaultsWhenNothingWasAsked() {
        assertThat(spec("debian desktop", "more memory").resources().memoryMiB()).isEqualTo(4096);
        assertThat(spec("debian desktop", "more memory").notes()).contains("twice as much");
    }

    @Test
    void dropsAndAddsGpusAndSoftware() {
        var s = spec("ubuntu with 2 GPUs, firefox and git", "drop the GPUs", "remove firefox", "add vim");
        assertThat(s.resources().gpus()).isNull();
        assertThat(s.packages()).containsExactly("git", "vim");
        assertThat(spec("debian box", "add another GPU").resources().gpus()).isEqualTo(1);
    }

    @Test
    void replacesOnePackageWithAnother() {
        assertThat(spec("xfce with firefox", "chromium instead of firefox").packages())
                .contains("chromium").doesNotContain("firefox-esr");
        assertThat(spec("xfce with firefox", "replace firefox with chromium").packages())
                .contains("chromium").doesNotContain("firefox-esr");
    }

    @Test
    void switchesKindDesktopAndDistribution() {
        var s = spec("debian 12 container with kde", "use a VM instead", "same but with gnome", "switch to ubuntu");
        assertThat(s.kind()).isEqualTo(Kind.VM);
        assertThat(s.desktop()).isEqualTo(Desktop.GNOME);
        assertThat(s.os().distro()).isEqualTo("ubuntu");
        assertThat(s.os().version()).isNull();
    }

    @Test
    void aWeakHintInALaterTurnKeepsAnExplicitDesktop() {
        assertThat(spec("xfce desktop", "add a terminal emulator and vim").desktop()).isEqualTo(Desktop.XFCE);
        assertThat(spec("headless debian", "add firefox").desktop()).isEqualTo(Desktop.NONE);
        assertThat(spec("kde desktop", "make it headless").desktop()).isEqualTo(Desktop.NONE);
    }

    @Test
    void aGenericDesktopDoesNotReplaceANamedOne() {
        assertThat(spec("mate desktop", "with a desktop for firefox").desktop()).isEqualTo(Desktop.MATE);
    }

    @Test
    void lifetimeAndNetworkCanBeChangedLater() {
        var s = spec("debian for 2 hours, offline", "actually for 5 hours", "and allow internet");
        assertThat(s.lifetime().ttl()).isEqualTo("PT5H");
        assertThat(s.network().egress().name()).isEqualTo("OPEN");
    }

    @Test
    void composingIsAPureFunctionOfTheTurns() {
        assertThat(spec("debian box", "8 GB")).isEqualTo(spec("debian box", "8 GB"));
    }
}
