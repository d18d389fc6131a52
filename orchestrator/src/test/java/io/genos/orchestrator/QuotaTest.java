package io.genos.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.genos.spec.EnvironmentSpec;
import io.genos.spec.Kind;
import io.genos.spec.Resources;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class QuotaTest {

    private static Environment env(EnvironmentState state, int cpus, int mem, Integer disk) {
        EnvironmentSpec spec = EnvironmentSpec.builder().name("e").resources(new Resources(cpus, mem, disk, null)).build();
        return Environment.builder().id("id-" + System.nanoTime()).owner("alice").name("e").imageId("debian-openbox")
                .kind(Kind.CONTAINER).state(state).spec(spec).at(Instant.EPOCH).build();
    }

    @Test
    void countsActiveEnvironmentsForRunningCpuAndMemoryAndStoppedOnesForDiskOnly() {
        Quota.Usage u = Quota.Usage.of(List.of(env(EnvironmentState.RUNNING, 2, 2048, 10),
                env(EnvironmentState.PROVISIONING, 1, 1024, null), env(EnvironmentState.STOPPED, 4, 4096, 20),
                env(EnvironmentState.DESTROYED, 8, 8192, 50), env(EnvironmentState.FAILED, 8, 8192, 50)));
        assertThat(u).isEqualTo(new Quota.Usage(2, 3, 3072, 30, 0));
    }

    @Test
    void refusesTheLaunchThatWouldGoBeyondALimitAndNamesIt() {
        Quota quota = new Quota(2, 4, 4096, 100, 0);
        Quota.Usage used = new Quota.Usage(1, 3, 1024, 10, 0);
        assertThatThrownBy(() -> quota.check("alice", used, new Resources(2, 512, null, null)))
                .isInstanceOf(QuotaExceededException.class).hasMessageContaining("4 of CPUs")
                .satisfies(e -> assertThat(((QuotaExceededException) e).limit()).isEqualTo("CPUs"));
        assertThatThrownBy(() -> quota.check("alice", new Quota.Usage(2, 0, 0, 0, 0), new Resources(1, 512, null, null)))
                .hasMessageContaining("at most 2 environment(s)");
        assertThatThrownBy(() -> quota.check("alice", used, new Resources(1, 512, null, 1)))
                .hasMessageContaining("GPUs");
    }

    @Test
    void allowsALaunchThatFitsExactly() {
        new Quota(2, 4, 4096, 100, 1).check("alice", new Quota.Usage(1, 3, 2048, 90, 0), new Resources(1, 2048, 10, 1));
    }
}
