package io.genos.portal.security.sso;

import static io.genos.portal.support.TestPortal.tempHome;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.genos.portal.GenosPortalApplication;
import java.net.ServerSocket;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * The whole portal started with profile keycloak while nothing answers at GENOS_KEYCLOAK_URL: it waits the startup
 * wait, then stops with Spring Boot's failure report saying where Keycloak was looked for, why it was not found and
 * what to do (instead of a bean-creation stack trace).
 */
@ExtendWith(OutputCaptureExtension.class)
class KeycloakDownIT {

    @Test
    void keycloakDownAtStartStopsThePortalWithTheReasonAndWhatToDo(CapturedOutput output) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String url = "http://127.0.0.1:" + port;
        Throwable failure = catchThrowable(() -> new SpringApplicationBuilder(GenosPortalApplication.class)
                .profiles("keycloak").run("--server.port=0", "--genos.home=" + tempHome("genos-keycloak-down-"),
                        "--genos.sso.url=" + url, "--genos.sso.client-secret=anything", "--genos.sso.startup-wait=PT3S"));
        assertThat(failure).isNotNull();
        Assertions.assertThat(causes(failure)).anyMatch(KeycloakStartException.class::isInstance);
        assertThat(output.getOut() + output.getErr()).contains("APPLICATION FAILED TO START",
                "Keycloak is not reachable at " + url + " (realm 'genos'): nothing answers there (connection refused)",
                "Waiting for Keycloak at " + url, "Action:", "Start Keycloak, or set GENOS_KEYCLOAK_URL");
    }

    private static java.util.List<Throwable> causes(Throwable t) {
        java.util.List<Throwable> all = new java.util.ArrayList<>();
        for (Throwable c = t; c != null && !all.contains(c); c = c.getCause()) {
            all.add(c);
        }
        return all;
    }
}
