package io.genos.orchestrator.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.model.PullResponseItem;
import io.genos.orchestrator.BuildProgress;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** How dockerd's pull lines become the progress a person reads. */
class ImagePullerTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static PullResponseItem item(String json) {
        try {
            return JSON.readValue(json, PullResponseItem.class);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void bytesAreSummedOverTheLayersAndTheDescriptionSaysMegabytesAndPercent() {
        ImagePuller.Tally t = new ImagePuller.Tally("127.0.0.1:5000/team/debian:12", System.nanoTime());
        assertThat(t.progress().describe()).startsWith("pulling 127.0.0.1:5000/team/debian:12 from its registry: "
                + "connecting to its registry, ");
        assertThat(t.add(item("{\"status\":\"Pulling from team/debian\",\"id\":\"12\"}"))).isFalse();
        assertThat(t.add(item("{\"status\":\"Already exists\",\"id\":\"a1\"}"))).isTrue();
        t.add(item("{\"status\":\"Downloading\",\"id\":\"b2\",\"progressDetail\":{\"current\":10485760,\"total\":"
                + "41943040}}"));
        t.add(item("{\"status\":\"Downloading\",\"id\":\"c3\",\"progressDetail\":{\"current\":0,\"total\":"
                + "20971520}}"));
        BuildProgress p = t.progress();
        assertThat(p.describe()).matches("pulling 127\\.0\\.0\\.1:5000/team/debian:12 from its registry: downloading, "
                + "10 of 60 MB, 16 %, \\d+ s");
        t.add(item("{\"status\":\"Pull complete\",\"id\":\"b2\"}"));
        t.add(item("{\"status\":\"Extracting\",\"id\":\"c3\",\"progressDetail\":{\"current\":1,\"total\":2}}"));
        assertThat(t.progress().percent()).isEqualTo(100);
        assertThat(t.finished().describe()).matches("pulled 127\\.0\\.0\\.1:5000/team/debian:12 from its registry, "
                + "60 of 60 MB, 100 %, \\d+ s");
        assertThat(t.error).isNull();
    }

    @Test
    void theRegistrysErrorIsKeptInItsOwnWordsAndALayerCannotCountMoreThanItsTotal() {
        ImagePuller.Tally t = new ImagePuller.Tally("r.example.org/x:1", System.nanoTime());
        t.add(item("{\"status\":\"Downloading\",\"id\":\"b2\",\"progressDetail\":{\"current\":999999999,\"total\":"
                + "1048576}}"));
        assertThat(t.progress().percent()).isEqualTo(100);
        t.add(item("{\"errorDetail\":{\"message\":\"manifest for r.example.org/x:1 not found\"},\"error\":\"manifest "
                + "for r.example.org/x:1 not found\"}"));
        assertThat(t.error).isEqualTo("manifest for r.example.org/x:1 not found");
    }
}
