package io.genos.composer.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.genos.spec.Desktop;
import io.genos.spec.EnvironmentSpec;
import io.genos.spec.Kind;
import io.genos.spec.Lifetime;
import io.genos.spec.Network;
import io.genos.spec.Os;
import io.genos.spec.Resources;
import io.genos.spec.Streaming;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class JsonTest {

    private static final JsonMapper JACKSON = JsonMapper.builder().build();

    @Test
    void writesASpecExactlyAsJacksonDoesFromTheSpecsAnnotations() {
        EnvironmentSpec full = EnvironmentSpec.builder().name("a-b").kind(Kind.VM).image("debian-xfce")
                .os(new Os("linux", "debian", "12")).desktop(Desktop.KDE)
                .resources(new Resources(4, 8192, 50, 1)).packages(List.of("git", "vim"))
                .network(new Network(Network.Egress.ALLOWLIST, List.of("pypi.org"), List.of(80, 443)))
                .streaming(new Streaming(Streaming.Protocol.RDP, 1920, 1080))
                .lifetime(new Lifetime("PT2H", "PT15M")).notes("says \"hi\"\n\ttab \\ \u0001").build();
        EnvironmentSpec sparse = EnvironmentSpec.builder().name("x").kind(Kind.CONTAINER)
                .os(new Os("linux", null, null)).resources(new Resources(1, 512, null, null))
                .network(new Network(Network.Egress.NONE, null, null)).build();
        for (EnvironmentSpec s : List.of(full, sparse)) {
            assertThat(Json.write(Json.tree(s))).isEqualTo(JACKSON.writeValueAsString(s));
        }
    }

    @Test
    void parsesWhatItWrites() {
        Object v = Json.parse("{\"a\": [1, 2.5, true, null, \"x\\u0041\\n\"], \"b\": {}}");
        assertThat(Json.write(v)).isEqualTo("{\"a\":[1,2.5,true,null,\"xA\\n\"],\"b\":{}}");
    }
}
