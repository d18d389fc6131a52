package io.genos.orchestrator;

import static io.genos.orchestrator.EnvironmentState.DESTROYED;
import static io.genos.orchestrator.EnvironmentState.FAILED;
import static io.genos.orchestrator.EnvironmentState.PROVISIONING;
import static io.genos.orchestrator.EnvironmentState.REQUESTED;
import static io.genos.orchestrator.EnvironmentState.RUNNING;
import static io.genos.orchestrator.EnvironmentState.STOPPED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EnvironmentStateTest {

    /** The whole table, written out once more so that any change to it must be deliberate. */
    private static final Map<EnvironmentState, Set<EnvironmentState>> EXPECTED = Map.of(
            REQUESTED, EnumSet.of(PROVISIONING, FAILED),
            PROVISIONING, EnumSet.of(RUNNING, FAILED),
            RUNNING, EnumSet.of(STOPPED, FAILED, DESTROYED),
            STOPPED, EnumSet.of(RUNNING, FAILED, DESTROYED),
            FAILED, EnumSet.of(DESTROYED),
            DESTROYED, EnumSet.noneOf(EnvironmentState.class));

    @Test
    void allowsExactlyTheTransitionsOfTheTable() {
        for (EnvironmentState from : EnvironmentState.values()) {
            for (EnvironmentState to : EnvironmentState.values()) {
                assertThat(from.canMoveTo(to)).as(from + " -> " + to).isEqualTo(EXPECTED.get(from).contains(to));
            }
        }
    }

    @Test
    void runningAndStoppedGoBackAndForth() {
        assertThat(RUNNING.canMoveTo(STOPPED)).isTrue();
        assertThat(STOPPED.canMoveTo(RUNNING)).isTrue();
    }

    @Test
    void failedIsReachableFromProvisioningAndRunningButNotFromDestroyed() {
        assertThat(PROVISIONING.canMoveTo(FAILED)).isTrue();
        assertThat(RUNNING.canMoveTo(FAILED)).isTrue();
        assertThat(DESTROYED.canMoveTo(FAILED)).isFalse();
        assertThat(FAILED.canMoveTo(RUNNING)).isFalse();
    }

    @Test
    void refusesAnIllegalTransitionNamingWhatIsAllowed() {
        assertThatThrownBy(() -> STOPPED.checkMoveTo(PROVISIONING))
                .isInstanceOf(IllegalTransitionException.class)
                .hasMessage("an environment that is stopped cannot become provisioning "
                        + "(from stopped it can become: running, failed, destroyed)");
    }

    @Test
    void saysThatDestroyedIsFinal() {
        assertThatThrownBy(() -> DESTROYED.checkMoveTo(RUNNING))
                .isInstanceOf(IllegalTransitionException.class)
                .hasMessage("an environment that is destroyed cannot become running (destroyed is final)");
    }

    @Test
    void nothingMovesToRequested() {
        for (EnvironmentState s : EnvironmentState.values()) {
            assertThat(s.canMoveTo(REQUESTED)).as(s.name()).isFalse();
        }
    }
}
