package io.genos.portal.api;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.servers.Server;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The OpenAPI document's title, its one server (relative: wherever the portal is) and its bearer-token scheme. */
@Configuration
class OpenApiDocument {

    /**
     * Every operation may answer with a problem document (RFC 9457), whose {@code rule} names what refused it; 401
     * without a valid token.
     */
    @Bean
    org.springdoc.core.customizers.OpenApiCustomizer problems() {
        return api -> {
            var problem = new io.swagger.v3.oas.models.media.ObjectSchema()
                    .description("RFC 9457 problem details; rule names what refused the request")
                    .addProperty("type", new io.swagger.v3.oas.models.media.StringSchema().format("uri"))
                    .addProperty("title", new io.swagger.v3.oas.models.media.StringSchema())
                    .addProperty("status", new io.swagger.v3.oas.models.media.IntegerSchema())
                    .addProperty("detail", new io.swagger.v3.oas.models.media.StringSchema())
                    .addProperty("instance", new io.swagger.v3.oas.models.media.StringSchema())
                    .addProperty("rule", new io.swagger.v3.oas.models.media.StringSchema()._enum(List.of("policy",
                            "quota", "rate", "owner-or-admin", "transition", "request", "runtime", "token")))
                    .addProperty("violations", new io.swagger.v3.oas.models.media.ArraySchema()
                            .items(new io.swagger.v3.oas.models.media.StringSchema()))
                    .addProperty("limit", new io.swagger.v3.oas.models.media.StringSchema());
            api.getComponents().addSchemas("Problem", problem);
            var content = new io.swagger.v3.oas.models.media.Content().addMediaType("application/problem+json",
                    new io.swagger.v3.oas.models.media.MediaType().schema(
                            new io.swagger.v3.oas.models.media.Schema<>().$ref("#/components/schemas/Problem")));
            api.getPaths().values().forEach(path -> path.readOperations().forEach(op -> {
                op.getResponses().addApiResponse("401", new io.swagger.v3.oas.models.responses.ApiResponse()
                        .description("no valid API token").content(content));
                op.getResponses().addApiResponse("default", new io.swagger.v3.oas.models.responses.ApiResponse()
                        .description("refused: see rule and detail").content(content));
            }));
        };
    }

    @Bean
    OpenAPI genosApi() {
        return new OpenAPI()
                .info(new Info().title("GenOS API").version("v1").description("""
                        Compose environments from words and run them: the same rules as the portal's chat (policy, \
                        catalog, quota, owner-or-admin, rate limits). Every call but this document needs a personal \
                        API token (make one in the portal under API tokens): Authorization: Bearer genos_…. Errors \
                        are application/problem+json with the refusing rule in "rule"."""))
                .servers(List.of(new Server().url("/").description("this portal")))
                .components(new Components().addSecuritySchemes("token", new SecurityScheme()
                        .type(SecurityScheme.Type.HTTP).scheme("bearer").bearerFormat("genos personal API token")))
                .addSecurityItem(new SecurityRequirement().addList("token"));
    }
}
