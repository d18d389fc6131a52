package io.genos.portal.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The API's own chain, before the browser's: stateless, no session and no CSRF (there is no cookie to ride on), every
 * call but the OpenAPI document with {@code Authorization: Bearer genos_…} (a personal API token); a missing or bad
 * token gets 401 and a problem document. Request bodies are limited to 256 KiB.
 */
@Configuration
class ApiSecurityConfig {
    static final long MAX_BODY = 256 * 1024;

    @Bean
    @Order(1)
    SecurityFilterChain apiChain(HttpSecurity http, ApiTokens tokens,
            org.springframework.beans.factory.ObjectProvider<ApiChainCustomizer> more) throws Exception {
        http.securityMatcher("/api/**")
                .authorizeHttpRequests(a -> a.requestMatchers("/api/v1/openapi.json", "/api/v1/openapi.yaml").permitAll()
                        // a GenOS user: a Keycloak token of someone without the role is authenticated but has no role
                        .anyRequest().hasRole("USER"))
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .csrf(c -> c.disable())
                .requestCache(c -> c.disable())
                .formLogin(f -> f.disable())
                .httpBasic(b -> b.disable())
                .logout(l -> l.disable())
                .addFilterBefore(bearer(tokens), AnonymousAuthenticationFilter.class)
                .exceptionHandling(e -> e
                        .authenticationEntryPoint((req, res, ex) -> problem(res, HttpStatus.UNAUTHORIZED,
                                "Sign in with an API token: Authorization: Bearer genos_… (make one under API tokens)."))
                        .accessDeniedHandler((req, res, ex) -> problem(res, HttpStatus.FORBIDDEN, "Not allowed.")));
        for (ApiChainCustomizer c : more) {
            c.customize(http);
        }
        return http.build();
    }

    private static OncePerRequestFilter bearer(ApiTokens tokens) {
        return new OncePerRequestFilter() {
            @Override
            protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                    throws ServletException, IOException {
                if (request.getContentLengthLong() > MAX_BODY) {
                    problem(response, HttpStatus.CONTENT_TOO_LARGE, "A request body is at most 256 KiB.");
                    return;
                }
                String header = request.getHeader("Authorization");
                // personal tokens here; other bearer tokens (Keycloak's, with profile keycloak) are another filter's
                if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)
                        && header.substring(7).strip().startsWith(ApiTokens.PREFIX)) {
                    var bearer = tokens.authenticate(header.substring(7).strip());
                    if (bearer.isEmpty()) {
                        problem(response, HttpStatus.UNAUTHORIZED,
                                "This API token is unknown, expired or revoked, or its user is disabled.");
                        return;
                    }
                    var auth = UsernamePasswordAuthenticationToken.authenticated(bearer.get().owner(), null,
                            bearer.get().authorities().stream().map(SimpleGrantedAuthority::new).toList());
                    auth.setDetails("token " + bearer.get().tokenId());
                    var context = SecurityContextHolder.createEmptyContext();
                    context.setAuthentication(auth);
                    SecurityContextHolder.setContext(context);
                }
                chain.doFilter(request.getContentLengthLong() < 0 ? new LimitedBody(request) : request, response);
            }
        };
    }

    static void problem(HttpServletResponse response, HttpStatus status, String detail) throws IOException {
        response.setStatus(status.value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.setCharacterEncoding("UTF-8");
        String rule = status == HttpStatus.UNAUTHORIZED ? "token" : status == HttpStatus.FORBIDDEN ? "owner-or-admin"
                : "request";
        response.getWriter().write("{\"type\":\"https://genos.io/problems/" + rule + "\",\"title\":\""
                + status.getReasonPhrase() + "\",\"status\":" + status.value() + ",\"detail\":\""
                + detail.replace("\\", "\\\\").replace("\"", "\\\"") + "\",\"rule\":\"" + rule + "\"}");
    }

    /** A body of unknown length (chunked) that ends with an error past {@link #MAX_BODY}. */
    private static final class LimitedBody extends jakarta.servlet.http.HttpServletRequestWrapper {
        LimitedBody(HttpServletRequest request) {
            super(request);
        }

        @Override
        public jakarta.servlet.ServletInputStream getInputStream() throws IOException {
            jakarta.servlet.ServletInputStream in = super.getInputStream();
            return new jakarta.servlet.ServletInputStream() {
                private long read;

                @Override
                public int read() throws IOException {
                    int b = in.read();
                    if (b >= 0 && ++read > MAX_BODY) {
                        throw new IOException("request body over " + MAX_BODY + " bytes");
                    }
                    return b;
                }

                @Override
                public int read(byte[] buf, int off, int len) throws IOException {
                    int n = in.read(buf, off, len);
                    if (n > 0 && (read += n) > MAX_BODY) {
                        throw new IOException("request body over " + MAX_BODY + " bytes");
                    }
                    return n;
                }

                @Override
                public boolean isFinished() {
                    return in.isFinished();
                }

                @Override
                public boolean isReady() {
                    return in.isReady();
                }

                @Override
                public void setReadListener(jakarta.servlet.ReadListener listener) {
                    in.setReadListener(listener);
                }
            };
        }
    }

}
