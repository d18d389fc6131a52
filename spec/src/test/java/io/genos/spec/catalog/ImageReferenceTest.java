package io.genos.spec.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ImageReferenceTest {

    @Test
    void readsARegistryWithAPortAPathAndATag() {
        ImageReference r = ImageReference.parse("127.0.0.1:5000/team/debian:12");
        assertThat(r.registry()).isEqualTo("127.0.0.1:5000");
        assertThat(r.path()).isEqualTo("team/debian");
        assertThat(r.tag()).isEqualTo("12");
        assertThat(r.repository()).isEqualTo("127.0.0.1:5000/team/debian");
        assertThat(r.tagOrDigest()).isEqualTo("12");
        assertThat(r).hasToString("127.0.0.1:5000/team/debian:12");
    }

    @Test
    void aFirstPartWithoutDotOrPortIsAPathNotARegistry() {
        ImageReference r = ImageReference.parse("team/ubuntu:24.04");
        assertThat(r.registry()).isNull();
        assertThat(r.path()).isEqualTo("team/ubuntu");
        assertThat(ImageReference.parse("registry.example.org/team/ubuntu").registry()).isEqualTo("registry.example.org");
        assertThat(ImageReference.parse("localhost/x").registry()).isEqualTo("localhost");
        assertThat(ImageReference.parse("ubuntu").tagOrDigest()).isEqualTo("latest");
    }

    @Test
    void aDigestIsWhatIsPulled() {
        String digest = "sha256:" + "a".repeat(64);
        ImageReference r = ImageReference.parse("registry.example.org/ubuntu@" + digest);
        assertThat(r.digest()).isEqualTo(digest);
        assertThat(r.tagOrDigest()).isEqualTo(digest);
        assertThat(r).hasToString("registry.example.org/ubuntu@" + digest);
    }

    @Test
    void refusesWhatDockerWouldNotRead() {
        for (String bad : new String[] {"", " ", "Ubuntu:24.04", "team//ubuntu", "ubuntu:", "-x/ubuntu",
                "host:99999/x:1", "ubuntu;rm -rf /", "ubuntu:24.04 && true", "a".repeat(300), "reg.example.org/Team/x",
                "ubuntu@sha256:xyz", "../etc/passwd"}) {
            assertThatThrownBy(() -> ImageReference.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
