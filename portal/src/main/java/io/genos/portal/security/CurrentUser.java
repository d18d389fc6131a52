package io.genos.portal.security;

import com.vaadin.flow.spring.security.AuthenticationContext;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.stereotype.Component;

/** Who is signed in, and the owner-or-admin rule every environment action goes through. */
@Component
public class CurrentUser {

    public static final String ADMIN = "ROLE_ADMIN";

    private final AuthenticationContext context;

    public CurrentUser(AuthenticationContext context) {
        this.context = context;
    }

    public String name() {
        return context.getPrincipalName().orElseThrow(() -> new IllegalStateException("nobody is signed in"));
    }

    /** Spring Security authorities, such as {@code ROLE_USER}. */
    public java.util.List<String> authorities() {
        return context.getGrantedAuthorities().stream().map(GrantedAuthority::getAuthority).toList();
    }

    public boolean isAdmin() {
        return context.hasRole("ADMIN");
    }

    /** The signed-in user as the application service sees them. */
    public io.genos.portal.service.Actor actor() {
        return new io.genos.portal.service.Actor(name(), isAdmin(), authorities());
    }

    /** The same for a plain Spring Security authentication (the WebSocket handlers have no Vaadin session). */
    public static io.genos.portal.service.Actor actor(Authentication auth) {
        return new io.genos.portal.service.Actor(auth.getName(), auth.getAuthorities().stream()
                .map(GrantedAuthority::getAuthority).anyMatch(ADMIN::equals),
                auth.getAuthorities().stream().map(GrantedAuthority::getAuthority).toList());
    }

    public boolean mayAccess(String owner) {
        return context.getPrincipalName().map(n -> n.equals(owner)).orElse(false) || isAdmin();
    }

    public void logout() {
        context.logout();
    }
}
