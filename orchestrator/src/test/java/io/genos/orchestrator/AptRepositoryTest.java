package io.genos.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.genos.spec.Os;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What an admin may configure as an extra apt repository, and what a package layer's build does with it. */
class AptRepositoryTest {

    @TempDir
    Path dir;

    @Test
    void aSignedRepositoryGetsItsKeyInTheImageAndASignedByLine() throws Exception {
        Path key = dir.resolve("vendor.asc");
        Files.writeString(key, "-----BEGIN PGP PUBLIC KEY BLOCK-----\nx\n-----END PGP PUBLIC KEY BLOCK-----\n");
        AptRepository r = new AptRepository("vendor", "debian-12", "https://packages.example.org/debian", "stable",
                List.of("main"), key, false);
        assertThat(r.sourcesLine()).isEqualTo("deb [signed-by=/etc/apt/keyrings/genos-vendor.asc] "
                + "https://packages.example.org/debian stable main");
        String script = AptRepositories.setupScript(List.of(r));
        assertThat(script).contains("base64 -d > /etc/apt/keyrings/genos-vendor.asc")
                .contains("> /etc/apt/sources.list.d/genos-vendor.list");
        assertThat(AptRepositories.setupScript(List.of())).as("no repositories: the recipe is unchanged").isEmpty();
        assertThat(r.isFor(Os.linux("debian", "12"))).isTrue();
        assertThat(r.isFor(Os.linux("ubuntu", "24.04"))).isFalse();
        assertThat(AptRepositories.indexPaths(r)).containsExactly("dists/stable/main/binary-amd64/");
    }

    @Test
    void whatWouldBreakTheBuildOrTheShellIsRefusedAtStartUp() {
        assertThatThrownBy(() -> new AptRepository("x", "debian-12", "https://h.example.org/d'; rm -rf /", "stable",
                List.of("main"), null, true)).hasMessageContaining("url is");
        assertThatThrownBy(() -> new AptRepository("x", "debian-12", "ftp://h.example.org/d", "stable",
                List.of("main"), null, true)).hasMessageContaining("url is");
        assertThatThrownBy(() -> new AptRepository("x", "debian-12", "https://h.example.org/d", "stable",
                List.of("main"), null, false)).hasMessageContaining("signing key");
        assertThatThrownBy(() -> new AptRepository("Bad Name", "debian-12", "https://h.example.org/d", "stable",
                List.of("main"), null, true)).hasMessageContaining("DNS label");
        assertThatThrownBy(() -> new AptRepository("x", "debian-12", "https://h.example.org/d", "./",
                List.of("main"), null, true)).hasMessageContaining("flat repository");
        assertThatThrownBy(() -> new AptRepository("x", "debian-12", "file:/does/not/exist", "./", List.of(), null,
                true)).hasMessageContaining("no directory");
        assertThatThrownBy(() -> new AptRepositories(List.of(
                new AptRepository("x", "debian-12", "https://a.example.org/d", "s", List.of("main"), null, true),
                new AptRepository("x", "debian-12", "https://b.example.org/d", "s", List.of("main"), null, true))))
                .hasMessageContaining("two repositories are named x");
    }

    @Test
    void aFlatRepositoryOnThisHostIsReadForItsNames() throws Exception {
        Files.writeString(dir.resolve("Packages"), "Package: code\nVersion: 1.96\nInstalled-Size: 400000\n\n"
                + "Package: Not A Name\nVersion: 1\n\nPackage: code-insiders\nVersion: 1.97\n");
        AptRepository r = new AptRepository("local", "debian-12", "file:" + dir, "./", List.of(), null, true);
        AptRepositories.Packages p = new AptRepositories(List.of(r)).packages(Os.linux("debian", "12"));
        assertThat(p.unreadable()).isEmpty();
        assertThat(p.packages()).extracting(e -> e.name() + " " + e.version())
                .containsExactly("code 1.96", "code-insiders 1.97");
        assertThat(new AptRepositories(List.of(r)).packages(Os.linux("ubuntu", "24.04")).packages()).isEmpty();
    }
}
