package io.genos.portal.service;

import java.util.List;

/**
 * Who asks for an action: a signed-in user (or, later, a token's owner).
 *
 * @param name the user name, which owns what it launches
 * @param admin whether they may act on every environment
 * @param authorities their roles ({@code ROLE_USER}…), which choose their quota
 */
public record Actor(String name, boolean admin, List<String> authorities) {

    public Actor {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("an actor has a name");
        }
        authorities = authorities == null ? List.of() : List.copyOf(authorities);
    }

    /** GenOS itself (lifetimes, reconcile): may act on every environment. */
    public static Actor system(String what) {
        return new Actor(what, true, List.of("ROLE_ADMIN"));
    }

    public boolean mayAccess(String owner) {
        return admin || name.equals(owner);
    }
}
