package io.genos.portal.security.sso;

import io.genos.portal.security.ApiChainCustomizer;
import io.genos.portal.security.ApiTokens;
import java.util.List;
import org.springframework.context.annotation.Profile;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.security.oauth2.server.resource.web.DefaultBearerTokenResolver;
import org.springframework.stereotype.Component;

/**
 * With profile keycloak the API also takes Keycloak's access tokens of the realm (e.g. from the public client
 * {@code genos-cli}): signature and issuer checked against the realm's keys, the user named by
 * {@code preferred_username}, roles and groups mapped as for the browser (someone with neither GenOS role gets no
 * authority and is refused). A user disabled in Keycloak gets no new token and the one they hold ends with its
 * lifetime (50 s in the realm export; 5 s of clock skew). Personal tokens ({@code genos_…}) keep working beside them.
 */
@Component
@Profile("keycloak")
class ApiBearerJwt implements ApiChainCustomizer {

    private final SsoProperties sso;

    ApiBearerJwt(SsoProperties sso) {
        this.sso = sso;
    }

    @Override
    public void customize(HttpSecurity http) throws Exception {
        DefaultBearerTokenResolver standard = new DefaultBearerTokenResolver();
        http.oauth2ResourceServer(o -> o
                .bearerTokenResolver(request -> {
                    String token = standard.resolve(request);
                    return token == null || token.startsWith(ApiTokens.PREFIX) ? null : token;
                })
                .jwt(j -> j.decoder(decoder()).jwtAuthenticationConverter(this::authentication)));
    }

    private JwtDecoder decoder() {
        // the keys are fetched from the realm (Keycloak was checked at start by KeycloakDiscovery)
        NimbusJwtDecoder decoder = NimbusJwtDecoder.withIssuerLocation(sso.issuer()).build();
        // Spring's default allows 60 s past a token's expiry; a disabled user's last token must end with its lifetime
        decoder.setJwtValidator(new org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator<>(
                new org.springframework.security.oauth2.jwt.JwtTimestampValidator(java.time.Duration.ofSeconds(5)),
                new org.springframework.security.oauth2.jwt.JwtIssuerValidator(sso.issuer())));
        return decoder;
    }

    private AbstractAuthenticationToken authentication(Jwt jwt) {
        List<SimpleGrantedAuthority> authorities = KeycloakUsers.authorities(jwt.getClaims(), sso.userRole(),
                sso.adminRole()).stream().map(SimpleGrantedAuthority::new).toList();
        String name = jwt.getClaimAsString("preferred_username");
        return new JwtAuthenticationToken(jwt, authorities, name == null ? jwt.getSubject() : name);
    }
}
