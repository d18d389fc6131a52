package io.genos.portal.quota;

import static org.assertj.core.api.Assertions.assertThat;

import io.genos.orchestrator.Quota;
import io.genos.portal.quota.QuotaProperties.Limits;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which quota a user gets: their own, else their groups' (quota classes), else their roles'. */
class QuotasTest {

    private static final Limits USER = new Limits(3, 8, 16384, 200, 1);
    private static final Limits ADMIN = new Limits(10, 32, 65536, 1024, 4);
    private static final Limits STUDENTS = new Limits(1, 2, 4096, 50, 0);
    private static final Limits RESEARCHERS = new Limits(5, 16, 65536, 500, 2);
    private static final Limits CAROL = new Limits(2, 4, 8192, 100, 0);

    private final Quotas quotas = new Quotas(new QuotaProperties(Map.of("user", USER, "admin", ADMIN),
            Map.of("carol", CAROL), Map.of("students", STUDENTS, "researchers", RESEARCHERS)));

    @Test
    void aRoleAloneGivesTheMostGenerousRole() {
        assertThat(quotas.forUser("dave", List.of("ROLE_USER"))).isEqualTo(new Quota(3, 8, 16384, 200, 1));
        assertThat(quotas.forUser("root", List.of("ROLE_USER", "ROLE_ADMIN"))).isEqualTo(new Quota(10, 32, 65536, 1024, 4));
    }

    @Test
    void aQuotaGroupReplacesTheRolesDefaultEvenWhenSmaller() {
        assertThat(quotas.forUser("sam", List.of("ROLE_USER", "GROUP_students"))).isEqualTo(new Quota(1, 2, 4096, 50, 0));
        assertThat(quotas.forUser("rita", List.of("ROLE_USER", "GROUP_researchers")))
                .isEqualTo(new Quota(5, 16, 65536, 500, 2));
    }

    @Test
    void severalGroupsGiveTheMostGenerousOfEachLimitAndUnknownGroupsCountForNothing() {
        assertThat(quotas.forUser("both", List.of("ROLE_USER", "GROUP_students", "GROUP_researchers", "GROUP_choir")))
                .isEqualTo(new Quota(5, 16, 65536, 500, 2));
        // a group without a quota class: the role decides
        assertThat(quotas.forUser("singer", List.of("ROLE_USER", "GROUP_choir"))).isEqualTo(new Quota(3, 8, 16384, 200, 1));
        // a group is never taken for a role of the same name
        assertThat(quotas.forUser("odd", List.of("GROUP_user"))).isEqualTo(new Quota(0, 0, 0, 0, 0));
    }

    @Test
    void aUsersOwnQuotaComesFirstAndNoRoleMeansNoLaunch() {
        assertThat(quotas.forUser("carol", List.of("ROLE_USER", "GROUP_researchers"))).isEqualTo(new Quota(2, 4, 8192, 100, 0));
        assertThat(quotas.forUser("nobody", List.of())).isEqualTo(new Quota(0, 0, 0, 0, 0));
    }

    @Test
    void groupNamesMatchInLowerCase() {
        assertThat(quotas.forUser("sam", List.of("ROLE_USER", "GROUP_Students"))).isEqualTo(new Quota(1, 2, 4096, 50, 0));
    }
}
