package io.genos.composer;

import static org.assertj.core.api.Assertions.assertThat;

import io.genos.spec.EnvironmentSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Whatever the words, composing either gives a well-formed spec or says it is not a request: it never breaks. */
class RobustnessTest {

    private static final String[] POOL = {"a", "the", "no", "not", "without", "with", "and", ",", ".", "?", "-", "x",
            "2", "0", "1.5", "22.04", "65535", "99999999999", "half", "a couple of", "quad-core", "gb", "mb", "tb",
            "m", "h", "ram", "disk", "cpus", "gpu", "gpus", "debian", "ubuntu", "windows", "server", "arch", "vm",
            "container", "desktop", "headless", "xfce", "kde", "firefox", "go", "make", "c++", "node.js", "python",
            "port", "expose", "for", "hours", "idle", "minutes", "only", "allow", "github.com", "internet", "offline",
            "double", "more", "less", "remove", "add", "instead", "of", "1920x1080", "4k", "rdp", "ssh", "docker",
            "kernel", "privileged", "\u00e9t\u00e9", "\u2014", "\u00d7", "\ud83d\ude80", "'", "\"", "\\", "/", "\n"};

    @Test
    void randomWordSaladNeverBreaksTheComposer() {
        Random random = new Random(42);
        for (int n = 0; n < 3000; n++) {
            List<String> turns = new ArrayList<>();
            int count = 1 + random.nextInt(3);
            for (int k = 0; k < count; k++) {
                StringBuilder b = new StringBuilder("x");
                int words = 1 + random.nextInt(14);
                for (int w = 0; w < words; w++) {
                    b.append(random.nextBoolean() ? " " : "").append(POOL[random.nextInt(POOL.length)]);
                }
                turns.add(b.toString());
            }
            try {
                EnvironmentSpec s = Compose.COMPOSER.compose(turns).spec();
                assertThat(s.name()).as(turns.toString()).matches("^[a-z0-9]([a-z0-9-]{0,38}[a-z0-9])?$");
                assertThat(s.kind()).as(turns.toString()).isNotNull();
                assertThat(s.os().family()).as(turns.toString()).isIn("linux", "windows", "bsd");
                assertThat(s.resources().cpus()).as(turns.toString()).isPositive();
                assertThat(s.resources().memoryMiB()).as(turns.toString()).isPositive();
                if (s.network() != null && s.network().ports() != null) {
                    assertThat(s.network().ports()).allMatch(p -> p >= 1 && p <= 65535);
                }
            } catch (NotAnEnvironmentRequestException expected) {
                // fine: word salad is often not a request
            }
        }
    }

    @Test
    void aVeryLongTurnIsComposedQuickly() {
        String turn = "debian box with python and git, 4 cpus, 8 GB, ".repeat(100); // 4,700 characters
        Compose.spec("warm up with python and git, 4 cpus, 8 GB");
        long start = System.nanoTime();
        assertThat(Compose.spec(turn).resources().cpus()).isEqualTo(4);
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(1000);
    }
}
