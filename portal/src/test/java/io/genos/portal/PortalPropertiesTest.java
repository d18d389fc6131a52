package io.genos.portal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** The portal's settings as Spring binds them: defaults when nothing is set, and a clear refusal of bad values. */
class PortalPropertiesTest {

    private static PortalProperties bind(Map<String, String> values) {
        return new Binder(new MapConfigurationPropertySource(values)).bindOrCreate("genos.portal",
                PortalProperties.class);
    }

    @Test
    void nothingSetGivesTheDefaults() {
        assertThat(bind(Map.of())).isEqualTo(PortalProperties.defaults());
    }

    @Test
    void settingsAreReadInTheirKebabCaseNames() {
        PortalProperties p = bind(Map.of("genos.portal.sign-in.max-failures", "3", "genos.portal.sign-in.lock", "8s",
                "genos.portal.rate.launch-per-minute", "2", "genos.portal.admin-username", "root-admin"));
        assertThat(p.signIn().maxFailures()).isEqualTo(3);
        assertThat(p.signIn().lock()).isEqualTo(Duration.ofSeconds(8));
        assertThat(p.signIn().maxFailuresPerAddress()).isEqualTo(20);
        assertThat(p.rate().launchPerMinute()).isEqualTo(2);
        assertThat(p.adminUsername()).isEqualTo("root-admin");
    }

    @Test
    void badValuesStopTheStartNamingTheProperty() {
        assertThatThrownBy(() -> bind(Map.of("genos.portal.rate.compose-per-minute", "0")))
                .rootCause().hasMessageContaining("genos.portal.rate.compose-per-minute");
        assertThatThrownBy(() -> bind(Map.of("genos.portal.sign-in.max-failures", "10",
                "genos.portal.sign-in.max-failures-per-address", "5")))
                .rootCause().hasMessageContaining("max-failures-per-address");
        assertThatThrownBy(() -> bind(Map.of("genos.portal.admin-username", "Admin!")))
                .rootCause().hasMessageContaining("genos.portal.admin-username");
    }
}
