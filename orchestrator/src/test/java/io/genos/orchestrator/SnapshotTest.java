package io.genos.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class SnapshotTest {

    @ParameterizedTest
    @ValueSource(strings = {"a", "clean", "before-upgrade", "v2", "x0-1-y",
            "a23456789012345678901234567890123456789012345678901234567890123"})
    void acceptsDnsLabels(String name) {
        assertThat(Snapshot.checkName(name)).isEqualTo(name);
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"Clean", "1st", "-a", "a-", "a_b", "a.b", "a b", "../x", "é", "clean\n",
            "a234567890123456789012345678901234567890123456789012345678901234"})
    void refusesAnythingElseSayingWhatIsAllowed(String name) {
        assertThatThrownBy(() -> Snapshot.checkName(name)).isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("is not allowed: use 1 to 63 lower-case letters, digits or dashes");
    }
}
