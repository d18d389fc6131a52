package io.genos.portal.security;

import org.springframework.security.config.annotation.web.builders.HttpSecurity;

/**
 * More ways into the API than personal tokens, contributed by a profile: with {@code keycloak}, Keycloak's access
 * tokens. Tokens that start with {@code genos_} stay personal tokens whatever is added.
 */
public interface ApiChainCustomizer {
    void customize(HttpSecurity http) throws Exception;
}
