package io.genos.portal.security.sso;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** When a refreshed identity takes a session's roles away (groups and new roles wait for the next sign-in). */
class SsoSessionsTest {

    @Test
    void aRoleTakenAwayIsSaidAndAnythingElseIsNot() {
        assertThat(SsoSessions.lostRoles(List.of("ROLE_USER", "GROUP_students"), List.of("GROUP_students")))
                .isEqualTo("Keycloak no longer gives them ROLE_USER");
        assertThat(SsoSessions.lostRoles(List.of("ROLE_ADMIN", "ROLE_USER"), List.of("ROLE_USER")))
                .isEqualTo("Keycloak no longer gives them ROLE_ADMIN");
        assertThat(SsoSessions.lostRoles(List.of("ROLE_USER", "GROUP_students"), List.of("ROLE_USER"))).isNull();
        assertThat(SsoSessions.lostRoles(List.of("ROLE_USER"), List.of("ROLE_ADMIN", "ROLE_USER", "GROUP_x"))).isNull();
    }
}
