package io.genos.portal.e2e;

import static io.genos.portal.support.Docker.docker;
import static org.assertj.core.api.Assertions.assertThat;

import io.genos.orchestrator.Quota;
import io.genos.portal.quota.Quotas;
import io.genos.portal.security.sso.SsoSessions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The realm's groups are quota classes (application-keycloak.properties: genos.quotas.groups.students.* and
 * .researchers.*): a member of students (who has genos-user through the group) gets 1 running, 2 CPUs, 4 GiB; one of
 * researchers 5, 16 CPUs, 64 GiB; a user in neither the genos-user role's quota (the control). In Chromium, the student
 * asking for 4 CPUs is refused at launch by the quota, and nothing is created.
 */
class KeycloakQuotaIT extends KeycloakPortal {

    @Autowired
    SsoSessions sessions;

    @Autowired
    Quotas quotas;

    private Quota quotaOf(String user) {
        SsoSessions.SignedIn s = sessions.signedIn().stream().filter(x -> x.username().equals(user)).findFirst()
                .orElseThrow(() -> new AssertionError(user + " is not signed in"));
        return quotas.forUser(s.username(), s.authorities());
    }

    @Test
    void aUserInAQuotaGroupGetsThatGroupsQuota() throws Exception {
        keycloak.createUser("kc-sam", "sam-pass-1", List.of(), List.of("students"));
        keycloak.createUser("kc-rita", "rita-pass-1", genosRole(), List.of("researchers"));
        keycloak.createUser("kc-uma", "uma-pass-1", genosRole(), List.of());
        try (Browser sam = new Browser(base(), "kc-sam"); Browser rita = new Browser(base(), "kc-rita");
                Browser uma = new Browser(base(), "kc-uma")) {
            signedIn(sam, "kc-sam", "sam-pass-1");
            signedIn(rita, "kc-rita", "rita-pass-1");
            signedIn(uma, "kc-uma", "uma-pass-1");
            assertThat(sessions.signedIn()).filteredOn(s -> s.username().equals("kc-sam")).singleElement()
                    .satisfies(s -> assertThat(s.authorities()).containsExactlyInAnyOrder("ROLE_USER", "GROUP_students"));

            assertThat(quotaOf("kc-sam")).isEqualTo(new Quota(1, 2, 4096, 50, 0));
            assertThat(quotaOf("kc-rita")).isEqualTo(new Quota(5, 16, 65536, 500, 2));
            assertThat(quotaOf("kc-uma")).isEqualTo(new Quota(3, 8, 16384, 200, 1));

            // the student's quota at work: 4 CPUs are refused at launch, before anything is created
            sam.awaitElement("#chat-input input").sendKeys("a Debian desktop with 4 CPUs and 2 GB");
            sam.driver.findElement(By.id("chat-send")).click();
            sam.awaitElement("#spec-card");
            sam.driver.findElement(By.id("launch")).click();
            String said = sam.await(Duration.ofSeconds(20), d -> notifications(sam).isBlank() ? null : notifications(sam));
            sam.screenshot("quota-refused");
            assertThat(said).contains("kc-sam's quota allows 2 of CPUs");
            assertThat(sam.driver.getCurrentUrl()).doesNotContain("/session/");
            assertThat(docker("ps", "-aq", "--filter", "label=io.genos.owner=kc-sam")).isBlank();
        }
    }
}
