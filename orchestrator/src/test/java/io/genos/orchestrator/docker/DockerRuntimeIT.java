package io.genos.orchestrator.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.Ports;
import io.genos.orchestrator.EnvironmentRuntime;
import io.genos.orchestrator.ExecResult;
import io.genos.orchestrator.OrchestratorProperties;
import io.genos.orchestrator.RuntimeFailureException;
import io.genos.orchestrator.RuntimeHandle;
import io.genos.orchestrator.RuntimeRequest;
import io.genos.orchestrator.RuntimeStatus;
import io.genos.orchestrator.Specs;
import io.genos.orchestrator.Vnc;
import io.genos.spec.Network;
import io.genos.spec.Network.Egress;
import io.genos.spec.catalog.Resolution;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Docker adapter against the real dockerd and the locally built genos/debian-openbox:latest. */
class DockerRuntimeIT {
    private static DockerClient docker;
    private static DockerRuntime runtime;
    private final String owner = "it-" + UUID.randomUUID();

    @BeforeAll
    static void connect() {
        docker = DockerRuntime.client(OrchestratorProperties.defaults());
        runtime = new DockerRuntime(docker, OrchestratorProperties.defaults());
    }

    @AfterAll
    static void disconnect() throws Exception {
        docker.close();
    }

    /** Removes everything this test's owner label names, whether the test passed or not. */
    @AfterEach
    void removeWhatThisTestCreated() {
        io.genos.orchestrator.Leftovers.removeContainersAndNetworks(docker, owner);
    }

    private RuntimeRequest request(Resolution resolution) {
        return new RuntimeRequest(UUID.randomUUID().toString(), owner, resolution.spec().name(), resolution, "pw123456");
    }

    private static Resolution withPorts(Resolution r, Egress egress, List<Integer> ports) {
        return new Resolution(r.spec().toBuilder().network(new Network(egress, null, ports)).build(), r.image(), List.of());
    }

    @Test
    void createsAContainerWithLimitsLabelsAndADisplayBoundOnlyToLoopback() throws Exception {
        RuntimeRequest request = request(withPorts(Specs.openbox("limits", 2, 512, Egress.OPEN), Egress.OPEN, List.of(8000)));
        long t0 = System.nanoTime();
        RuntimeHandle handle = runtime.create(request);
        long t1 = System.nanoTime();
        runtime.start(handle);
        long t2 = System.nanoTime();

        InspectContainerResponse c = docker.inspectContainerCmd(handle.ref()).exec();
        assertThat(c.getHostConfig().getNanoCPUs()).isEqualTo(2_000_000_000L);
        assertThat(c.getHostConfig().getMemory()).isEqualTo(512L * 1024 * 1024);
        assertThat(c.getHostConfig().getInit()).isTrue();
        assertThat(c.getHostConfig().getPidsLimit()).isEqualTo(4096L);
        assertThat(c.getConfig().getLabels()).containsEntry("io.genos.product", "genos")
                .containsEntry("io.genos.environment", request.environmentId())
                .containsEntry("io.genos.owner", owner)
                .containsEntry("io.genos.image", "debian-openbox");
        assertThat(c.getConfig().getEnv()).contains("GENOS_VNC_PASSWORD=pw123456", "GENOS_NAME=limits");
        Map<ExposedPort, Ports.Binding[]> bindings = c.getNetworkSettings().getPorts().getBindings();
        assertThat(bindings.get(ExposedPort.tcp(5901))).isNotEmpty()
                .allSatisfy(b -> assertThat(b.getHostIp()).isEqualTo("127.0.0.1"));
        assertThat(bindings.get(ExposedPort.tcp(8000))).isNotEmpty()
                .allSatisfy(b -> assertThat(b.getHostIp()).isEqualTo("127.0.0.1"));

        RuntimeStatus status = runtime.inspect(handle).orElseThrow();
        assertThat(status.running()).isTrue();
        assertThat(status.display().getHostString()).isEqualTo("127.0.0.1");
        assertThat(status.ports()).containsOnlyKeys(8000);
        assertThat(Vnc.awaitBanner(status.display(), Duration.ofSeconds(20))).isEqualTo("RFB 003.008");
        long t3 = System.nanoTime();
        assertThat(Vnc.authenticate(status.display(), "pw123456")).as("right password").isZero();
        assertThat(Vnc.authenticate(status.display(), "wrong!!!")).as("wrong password").isEqualTo(1);
        assertThat(runtime.listByLabels(Map.of(EnvironmentRuntime.LABEL_OWNER, owner)))
                .extracting(RuntimeStatus::environmentId).containsExactly(request.environmentId());
        System.out.printf("docker: create %d ms, start %d ms, start to RFB banner %d ms%n", (t1 - t0) / 1_000_000,
                (t2 - t1) / 1_000_000, (t3 - t2) / 1_000_000);
    }

    @Test
    void egressNoneHasNoWayOutButTheDisplayAnswersFromThisHost() throws Exception {
        RuntimeRequest request = request(Specs.openbox("sealed", 1, 512, Egress.NONE));
        RuntimeHandle handle = runtime.create(request);
        runtime.start(handle);

        RuntimeStatus status = runtime.inspect(handle).orElseThrow();
        assertThat(status.display().getHostString()).isNotEqualTo("127.0.0.1");
        assertThat(status.display().getPort()).isEqualTo(5901);
        assertThat(Vnc.awaitBanner(status.display(), Duration.ofSeconds(20))).isEqualTo("RFB 003.008");
        assertThat(Vnc.authenticate(status.display(), "pw123456")).isZero();
        InspectContainerResponse c = docker.inspectContainerCmd(handle.ref()).exec();
        assertThat(c.getHostConfig().getNetworkMode()).isEqualTo("genos-net-" + request.environmentId());
        assertThat(c.getHostConfig().getPortBindings() == null ? Map.of()
                : c.getHostConfig().getPortBindings().getBindings()).isEmpty();
        com.github.dockerjava.api.model.Network net =
                docker.inspectNetworkCmd().withNetworkId("genos-net-" + request.environmentId()).exec();
        assertThat(net.getInternal()).isTrue();
        assertThat(net.getOptions()).containsEntry("com.docker.network.bridge.name",
                "gn-" + request.environmentId().replace("-", "").substring(0, 12));
        assertThat(net.getLabels()).containsEntry("io.genos.product", "genos")
                .containsEntry("io.genos.environment", request.environmentId()).containsEntry("io.genos.owner", owner);

        ExecResult dns = runtime.exec(handle, "getent", "hosts", "deb.debian.org");
        assertThat(dns.exitCode()).as("name resolution fails: " + dns).isNotZero();
        ExecResult outside = runtime.exec(handle, "timeout", "5", "bash", "-c", "exec 3<>/dev/tcp/151.101.2.132/80");
        assertThat(outside.exitCode()).as("a TCP connection to the outside fails: " + outside).isNotZero();
        ExecResult inside = runtime.exec(handle, "timeout", "5", "bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/5901");
        assertThat(inside.exitCode()).as("the same command reaches the display inside: " + inside).isZero();
    }

    @Test
    void allowlistFailsClosedAndSaysSoInAWarning() throws Exception {
        Resolution r = Specs.openbox("allow", 1, 512, Egress.ALLOWLIST);
        assertThat(runtime.check(r)).anySatisfy(w -> assertThat(w).contains("allowlist is not enforced"));
        RuntimeHandle handle = runtime.create(request(r));
        runtime.start(handle);
        assertThat(docker.inspectContainerCmd(handle.ref()).exec().getHostConfig().getNetworkMode())
                .startsWith("genos-net-");
    }

    @Test
    void stopsStartsAndDestroysLeavingNothingBehind() throws Exception {
        RuntimeRequest request = request(Specs.openbox("cycle", 1, 512, Egress.NONE));
        RuntimeHandle handle = runtime.create(request);
        runtime.start(handle);
        Vnc.awaitBanner(runtime.inspect(handle).orElseThrow().display(), Duration.ofSeconds(20));

        long t0 = System.nanoTime();
        runtime.stop(handle);
        long t1 = System.nanoTime();
        RuntimeStatus stopped = runtime.inspect(handle).orElseThrow();
        assertThat(stopped.running()).isFalse();
        assertThat(stopped.display()).isNull();

        runtime.start(handle);
        RuntimeStatus restarted = runtime.inspect(handle).orElseThrow();
        assertThat(restarted.running()).as("running again after a start").isTrue();
        assertThat(Vnc.awaitBanner(restarted.display(), Duration.ofSeconds(20))).isEqualTo("RFB 003.008");
        assertThat(Vnc.authenticate(restarted.display(), "pw123456")).isZero();

        long t2 = System.nanoTime();
        runtime.destroy(handle);
        long t3 = System.nanoTime();
        assertThatThrownBy(() -> docker.inspectContainerCmd(handle.ref()).exec()).isInstanceOf(NotFoundException.class);
        assertThat(docker.listNetworksCmd().withNameFilter("genos-net-" + request.environmentId()).exec()).isEmpty();
        assertThat(runtime.inspect(handle)).isEmpty();
        runtime.destroy(handle); // idempotent
        System.out.printf("docker: stop %d ms, destroy (container + network) %d ms%n", (t1 - t0) / 1_000_000,
                (t3 - t2) / 1_000_000);
    }

    @Test
    void aMissingImageIsRefusedWithAReadableReasonAndLeavesNothing() {
        RuntimeRequest request = request(Specs.resolution("ghost", 1, 512, Egress.NONE, "genos/does-not-exist:latest", null));

        assertThatThrownBy(() -> runtime.create(request))
                .isInstanceOf(RuntimeFailureException.class)
                .hasMessage("the image genos/does-not-exist:latest is not on this Docker host: GenOS builds its own "
                        + "images with ./genos images (they are not pulled from a registry)");
        assertThat(runtime.listByLabels(Map.of(EnvironmentRuntime.LABEL_ENVIRONMENT, request.environmentId()))).isEmpty();
        assertThat(docker.listNetworksCmd().withNameFilter("genos-net-" + request.environmentId()).exec()).isEmpty();
    }

    @Test
    void dockerRefusingTheLimitsFailsWithItsReasonAndLeavesNoNetwork() {
        int tooMany = Runtime.getRuntime().availableProcessors() + 8;
        RuntimeRequest request = request(Specs.openbox("greedy", tooMany, 512, Egress.NONE));

        assertThatThrownBy(() -> runtime.create(request))
                .isInstanceOf(RuntimeFailureException.class)
                .hasMessageStartingWith("Docker refused to create the container")
                .hasMessageContaining("CPUs");
        assertThat(docker.listNetworksCmd().withNameFilter("genos-net-" + request.environmentId()).exec()).isEmpty();
    }
}
