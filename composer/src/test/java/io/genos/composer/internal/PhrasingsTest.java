package io.genos.composer.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.genos.composer.ComposeResult;
import io.genos.composer.NotAnEnvironmentRequestException;
import io.genos.composer.OfflineComposer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Our own varied requests ({@code phrasings.jsonl}, written for these tests in the style of the composer
 * evaluation, not copied from it), checked the way the evaluation checks: each expected field, package groups,
 * absent packages, violations and the exit status the CLI would give.
 */
class PhrasingsTest {

    private static final OfflineComposer COMPOSER = new OfflineComposer();

    @SuppressWarnings("unchecked")
    static Stream<Arguments> phrasings() throws IOException {
        try (InputStream in = PhrasingsTest.class.getResourceAsStream("/phrasings.jsonl")) {
            String all = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            List<Arguments> out = new ArrayList<>();
            for (String line : all.split("\n")) {
                if (!line.isBlank()) {
                    Map<String, Object> item = (Map<String, Object>) Json.parse(line);
                    out.add(Arguments.of(item.get("id"), item.get("turns"), item.get("expect")));
                }
            }
            return out.stream();
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("phrasings")
    @SuppressWarnings("unchecked")
    void composesWhatThePhrasingAsksFor(String id, List<String> turns, Map<String, Object> expect) {
        int exit;
        Map<String, Object> spec = Map.of();
        ComposeResult r = null;
        try {
            r = COMPOSER.compose(turns);
            spec = Json.tree(r.spec());
            exit = r.violations().isEmpty() ? 0 : 3;
        } catch (NotAnEnvironmentRequestException e) {
            exit = 4;
        }
        List<String> pkgs = ((List<String>) spec.getOrDefault("packages", List.of()));
        for (var e : expect.entrySet()) {
            String key = e.getKey();
            Object want = e.getValue();
            String what = id + " " + key;
            switch (key) {
                case "exit" -> assertThat(exit).as(what).isEqualTo(((Number) want).intValue());
                case "violations" -> assertThat(r).as(what).isNotNull().extracting(x -> !x.violations().isEmpty())
                        .isEqualTo(true);
                case "packages" -> {
                    for (List<String> group : (List<List<String>>) want) {
                        assertThat(group).as(what + " " + pkgs).anyMatch(pkgs::contains);
                    }
                }
                case "packages_absent" -> assertThat(pkgs).as(what).doesNotContainAnyElementsOf((List<String>) want);
                default -> {
                    Object got = lookup(spec, key);
                    if (key.equals("desktop") && "gui".equals(want)) {
                        assertThat(got).as(what).isNotNull().isNotEqualTo("none");
                    } else if (key.equals("resources.gpus") && ((Number) want).intValue() == 0) {
                        assertThat(got == null || ((Number) got).intValue() == 0).as(what).isTrue();
                    } else if (key.startsWith("lifetime.")) {
                        assertThat(got).as(what).isNotNull();
                        assertThat(Duration.parse((String) got)).as(what).isEqualTo(Duration.parse((String) want));
                    } else if (key.equals("network.allow") || key.equals("network.ports")) {
                        assertThat(String.valueOf(got)).as(what).isNotEqualTo("null");
                        assertThat(((List<Object>) got).stream().map(String::valueOf).sorted().toList()).as(what)
                                .isEqualTo(((List<Object>) want).stream().map(String::valueOf).sorted().toList());
                    } else if (want instanceof String s) {
                        assertThat(got).as(what).isInstanceOf(String.class);
                        assertThat(((String) got).toLowerCase(Locale.ROOT)).as(what).isEqualTo(s.toLowerCase(Locale.ROOT));
                    } else {
                        assertThat(got).as(what).isNotNull();
                        assertThat(((Number) got).longValue()).as(what).isEqualTo(((Number) want).longValue());
                    }
                }
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Object lookup(Map<String, Object> spec, String path) {
        Object o = spec;
        for (String part : path.split("\\.")) {
            if (!(o instanceof Map<?, ?> m) || !m.containsKey(part)) {
                return null;
            }
            o = ((Map<String, Object>) m).get(part);
        }
        return o;
    }
}
