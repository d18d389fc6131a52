package io.genos.composer;

import static io.genos.composer.Compose.spec;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SpecDiffTest {

    @Test
    void saysWhatATurnChanged() {
        var before = spec("debian xfce box with firefox");
        var after = spec("debian xfce box with firefox", "make it 8 GB, a VM, add vim and drop firefox");
        assertThat(SpecDiff.between(before, after)).contains("memory: 2048 MiB \u2192 8192 MiB",
                "kind: container \u2192 vm", "packages: + vim", "packages: \u2212 firefox-esr");
    }

    @Test
    void theFirstTurnListsEverythingAsNew() {
        assertThat(SpecDiff.between(null, spec("debian box with 4 cpus"))).contains("cpus: none \u2192 4",
                "os: none \u2192 debian");
    }

    @Test
    void anUnchangedSpecHasNoLines() {
        assertThat(SpecDiff.between(spec("alpine shell"), spec("alpine shell"))).isEmpty();
    }
}
