package io.genos.portal.api;

import static io.genos.portal.support.TestPortal.tempHome;
import static org.assertj.core.api.Assertions.assertThat;

import io.swagger.v3.parser.OpenAPIV3Parser;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.json.JsonMapper;

/**
 * The OpenAPI document the portal serves (without sign-in) is a valid OpenAPI 3 document, describes every endpoint
 * under /api/v1, and is the one checked in at {@code configs/openapi/genos-api-v1.json}: when the API changes and
 * the copy does not, this fails. {@code -Dgenos.openapi.write=true} writes the served document over the copy.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class OpenApiDocumentIT {
    static final Path CHECKED_IN = Path.of("..", "configs", "openapi", "genos-api-v1.json");

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("genos.home", () -> tempHome("genos-openapi-").toString());
        registry.add("genos.portal.admin-password", () -> "admin-" + UUID.randomUUID());
    }

    @LocalServerPort
    int port;

    @Test
    void theServedDocumentIsValidCompleteAndTheCheckedInCopy() throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + port + "/api/v1/openapi.json")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        JsonMapper json = JsonMapper.builder().build();
        String served = json.writerWithDefaultPrettyPrinter().writeValueAsString(json.readTree(r.body())) + "\n";

        var parsed = new OpenAPIV3Parser().readContents(served);
        assertThat(parsed.getMessages()).as("the OpenAPI parser's complaints").isEmpty();
        var paths = parsed.getOpenAPI().getPaths();
        assertThat(paths).containsKeys("/api/v1/compose", "/api/v1/environments", "/api/v1/environments/{id}",
                "/api/v1/environments/{id}/display", "/api/v1/environments/{id}/snapshots", "/api/v1/events",
                "/api/v1/tokens", "/api/v1/admin/users", "/api/v1/admin/audit", "/api/v1/admin/images");
        assertThat(paths.keySet()).allMatch(p -> p.startsWith("/api/v1/"));
        assertThat(parsed.getOpenAPI().getComponents().getSecuritySchemes()).containsKey("token");

        if (Boolean.getBoolean("genos.openapi.write")) {
            Files.writeString(CHECKED_IN, served);
        }
        assertThat(CHECKED_IN).as("the checked-in copy (regenerate: -Dgenos.openapi.write=true)").exists();
        assertThat(json.readTree(Files.readString(CHECKED_IN)))
                .as("configs/openapi/genos-api-v1.json differs from what the portal serves: run OpenApiDocumentIT "
                        + "with -Dgenos.openapi.write=true and review the change")
                .isEqualTo(json.readTree(served));
    }
}
