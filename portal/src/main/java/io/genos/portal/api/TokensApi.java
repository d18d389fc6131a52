package io.genos.portal.api;

import io.genos.portal.api.ApiModel.CreatedTokenResponse;
import io.genos.portal.api.ApiModel.TokenRequest;
import io.genos.portal.api.ApiModel.TokenResponse;
import io.genos.portal.security.ApiTokens;
import java.time.Duration;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** The caller's own API tokens: list, make (the token is in the answer, once), revoke. */
@RestController
@RequestMapping(path = "/api/v1/tokens", produces = "application/json")
class TokensApi {

    private final ApiTokens tokens;

    TokensApi(ApiTokens tokens) {
        this.tokens = tokens;
    }

    @io.swagger.v3.oas.annotations.Operation(operationId = "listTokens", summary = "Your API tokens")
    @GetMapping
    List<TokenResponse> list(Authentication auth) {
        return tokens.list(Api.actor(auth).name()).stream().map(TokenResponse::of).toList();
    }

    @io.swagger.v3.oas.annotations.Operation(operationId = "createToken", summary = "Make an API token (shown once)")
    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    CreatedTokenResponse create(@RequestBody TokenRequest request, Authentication auth) {
        var created = tokens.create(Api.actor(auth).name(), request.name(),
                Duration.ofDays(request.days() == null ? 30 : request.days()));
        return new CreatedTokenResponse(TokenResponse.of(created.listed()), created.token());
    }

    @io.swagger.v3.oas.annotations.Operation(operationId = "revokeToken", summary = "Revoke one of your tokens")
    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void revoke(@PathVariable String id, Authentication auth) {
        var actor = Api.actor(auth);
        if (!tokens.revoke(id, actor.name(), false)) {
            throw new IllegalArgumentException("You have no live token " + id + ".");
        }
    }
}
