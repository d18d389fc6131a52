package io.genos.portal.security.sso;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A Keycloak identity's claims as the portal's authorities. */
class KeycloakUsersTest {

    private static List<String> of(Map<String, Object> claims) {
        return KeycloakUsers.authorities(claims, "genos-user", "genos-admin");
    }

    @Test
    void realmRolesBecomeRolesAndGroupsBecomeQuotaGroups() {
        assertThat(of(Map.of("realm_access", Map.of("roles", List.of("default-roles-genos", "genos-user")),
                "groups", List.of("students")))).containsExactly("ROLE_USER", "GROUP_students");
        assertThat(of(Map.of("realm_access", Map.of("roles", List.of("genos-admin", "genos-user")))))
                .containsExactly("ROLE_ADMIN", "ROLE_USER");
        // genos-admin alone (not composite in some realm): an admin is a user too, as a local admin is
        assertThat(of(Map.of("realm_access", Map.of("roles", List.of("genos-admin"))))).containsExactly("ROLE_ADMIN",
                "ROLE_USER");
    }

    @Test
    void groupPathsCountByTheirLastPart() {
        assertThat(of(Map.of("realm_access", Map.of("roles", List.of("genos-user")),
                "groups", List.of("/faculty/researchers", "/students", "/students")))).containsExactly("ROLE_USER",
                        "GROUP_researchers", "GROUP_students");
    }

    @Test
    void withoutAGenosRoleThereIsNoRoleAtAll() {
        assertThat(of(Map.of("realm_access", Map.of("roles", List.of("offline_access")), "groups", List.of("students"))))
                .containsExactly("GROUP_students");
        assertThat(of(Map.of())).isEmpty();
        assertThat(of(Map.of("realm_access", "not a map"))).isEmpty();
    }

    @Test
    void namesGenosTakes() {
        assertThat(KeycloakUsers.NAME.matcher("alice").matches()).isTrue();
        assertThat(KeycloakUsers.NAME.matcher("alice.smith@example.org").matches()).isTrue();
        assertThat(KeycloakUsers.NAME.matcher("a b").matches()).isFalse();
        assertThat(KeycloakUsers.NAME.matcher("../x").matches()).isFalse();
        assertThat(KeycloakUsers.NAME.matcher("x".repeat(65)).matches()).isFalse();
    }
}
