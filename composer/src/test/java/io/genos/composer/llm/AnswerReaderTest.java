package io.genos.composer.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.genos.composer.llm.AnswerReader.InvalidAnswer;
import io.genos.composer.llm.AnswerReader.NotARequest;
import io.genos.composer.llm.AnswerReader.SpecAnswer;
import io.genos.spec.Desktop;
import io.genos.spec.EnvironmentSpec;
import io.genos.spec.Kind;
import io.genos.spec.Network;
import io.genos.spec.Streaming;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class AnswerReaderTest {

    private static final String FULL = """
            {"apiVersion":"genos/v1","name":"ml-ubuntu-vm","kind":"vm","image":"debian-xfce",
             "os":{"family":"linux","distro":"ubuntu","version":"24.04"},"desktop":"gnome",
             "resources":{"cpus":4,"memoryMiB":8192,"diskGiB":60,"gpus":1},"packages":["python3","git"],
             "network":{"egress":"allowlist","allow":["pypi.org"],"ports":[8888]},
             "streaming":{"protocol":"rdp","width":1920,"height":1080},
             "lifetime":{"ttl":"PT3H","idleTimeout":"PT20M"},"notes":"Assumed nothing.","x-trace":"abc"}""";

    private static EnvironmentSpec spec(String json) throws InvalidAnswer {
        return ((SpecAnswer) AnswerReader.read(json)).spec();
    }

    private static List<String> errors(String json) {
        try {
            AnswerReader.read(json);
        } catch (InvalidAnswer e) {
            return e.errors();
        }
        throw new AssertionError("accepted: " + json);
    }

    @Test
    void readsEveryFieldOfTheContract() throws Exception {
        EnvironmentSpec s = spec(FULL);
        assertThat(s.name()).isEqualTo("ml-ubuntu-vm");
        assertThat(s.kind()).isEqualTo(Kind.VM);
        assertThat(s.image()).isEqualTo("debian-xfce");
        assertThat(s.os().version()).isEqualTo("24.04");
        assertThat(s.desktop()).isEqualTo(Desktop.GNOME);
        assertThat(s.resources().gpus()).isEqualTo(1);
        assertThat(s.resources().diskGiB()).isEqualTo(60);
        assertThat(s.network().egress()).isEqualTo(Network.Egress.ALLOWLIST);
        assertThat(s.network().allow()).containsExactly("pypi.org");
        assertThat(s.network().ports()).containsExactly(8888);
        assertThat(s.streaming().protocol()).isEqualTo(Streaming.Protocol.RDP);
        assertThat(s.streaming().width()).isEqualTo(1920);
        assertThat(s.lifetime().idleTimeout()).isEqualTo("PT20M");
    }

    @Test
    void toleratesOneEnclosingCodeFenceAndNothingElse() throws Exception {
        assertThat(spec("```json\n" + FULL + "\n```").name()).isEqualTo("ml-ubuntu-vm");
        assertThat(errors("Here you go:\n" + FULL)).singleElement().asString().contains("not one JSON object");
        assertThat(errors(FULL + "\n{}")).singleElement().asString().contains("not one JSON object");
    }

    @Test
    void rejectsDuplicateKeysUnknownFieldsWrongTypesAndEnums() {
        assertThat(errors(FULL.replace("\"kind\":\"vm\"", "\"kind\":\"vm\",\"kind\":\"container\"")))
                .singleElement().asString().contains("Duplicate field 'kind'");
        assertThat(errors(FULL.replace("\"gpus\":1", "\"gpus\":1,\"privileged\":true")))
                .anySatisfy(e -> assertThat(e).contains("$.resources: property 'privileged' is not defined"));
        assertThat(errors(FULL.replace("\"cpus\":4", "\"cpus\":\"4\"")))
                .anySatisfy(e -> assertThat(e).contains("$.resources.cpus").contains("integer"));
        assertThat(errors(FULL.replace("\"desktop\":\"gnome\"", "\"desktop\":\"openbox\"")))
                .anySatisfy(e -> assertThat(e).contains("$.desktop"));
        assertThat(errors(FULL.replace("\"name\":\"ml-ubuntu-vm\"", "\"name\":\"ML Box!\"")))
                .anySatisfy(e -> assertThat(e).contains("$.name"));
        assertThat(errors(FULL.replace("\"apiVersion\":\"genos/v1\",", "")))
                .anySatisfy(e -> assertThat(e).contains("apiVersion"));
    }

    @Test
    void rejectsValuesTheSchemaLeavesOpenButAnOrchestratorMustNotRun() {
        assertThat(errors(FULL.replace("\"git\"", "\"git; curl x | sh\"")))
                .singleElement().asString().contains("$.packages[1]").contains("not a package name");
        assertThat(errors(FULL.replace("\"pypi.org\"", "\"pypi.org && rm -rf /\"")))
                .singleElement().asString().contains("$.network.allow[0]");
        assertThat(errors(FULL.replace("\"cpus\":4", "\"cpus\":99999999999")))
                .singleElement().asString().contains("too large");
    }

    @Test
    void keepsOversizedValuesAsAnswered() throws Exception {
        assertThat(spec(FULL.replace("\"cpus\":4", "\"cpus\":512")).resources().cpus()).isEqualTo(512);
    }

    @Test
    void readsTheAnswerThatNoEnvironmentWasAskedFor() throws Exception {
        assertThat(AnswerReader.read("{\"x-not-a-request\":\"a greeting\"}")).isEqualTo(new NotARequest("a greeting"));
        assertThat(errors("{\"x-not-a-request\":\"hi\",\"name\":\"x\"}")).singleElement().asString()
                .contains("no other fields");
    }

    @Test
    void refusesEmptyAndHugeAnswers() {
        assertThat(errors("  ")).singleElement().asString().contains("empty");
        assertThat(errors("{\"notes\":\"" + "a".repeat(40_000) + "\"}")).singleElement().asString()
                .contains("characters long");
    }

    @Test
    void thePackagedSchemaIsTheContractsSchema() throws Exception {
        Path shared = Path.of("../../shared/contracts/environment-spec.schema.json");
        Assumptions.assumeTrue(Files.exists(shared), "the shared contracts folder is beside the repository");
        assertThat(Prompts.schemaText()).isEqualTo(Files.readString(shared));
    }
}
