package io.genos.orchestrator.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.ContainerNetwork;
import io.genos.orchestrator.ExecResult;
import io.genos.orchestrator.OrchestratorProperties;
import io.genos.orchestrator.RuntimeHandle;
import io.genos.orchestrator.RuntimeRequest;
import io.genos.orchestrator.Specs;
import io.genos.spec.Network.Egress;
import io.genos.spec.catalog.Resolution;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An environment with egress "none" cannot reach the host's own services either (a database, the portal, sshd on the
 * host), while one with egress "open" can, as the control. The host side of the rule is the iptables INPUT rule for
 * the gn-* bridges that {@code ./genos up} and {@code ./genos test} install; without it this test fails.
 */
class EgressIsolationIT {
    private static DockerClient docker;
    private static DockerRuntime runtime;
    private final String owner = "it-" + UUID.randomUUID();

    @BeforeAll
    static void connect() {
        docker = DockerRuntime.client(OrchestratorProperties.defaults());
        runtime = new DockerRuntime(docker, OrchestratorProperties.defaults());
    }

    @AfterEach
    void removeWhatThisTestCreated() {
        io.genos.orchestrator.Leftovers.removeContainersAndNetworks(docker, owner);
    }

    private RuntimeHandle started(Resolution resolution) {
        RuntimeHandle handle = runtime.create(new RuntimeRequest(UUID.randomUUID().toString(), owner,
                resolution.spec().name(), resolution, "pw123456"));
        runtime.start(handle);
        return handle;
    }

    /** The host's address on the container's own network (its gateway): where a host service answers it. */
    private static String gateway(RuntimeHandle handle) {
        Map<String, ContainerNetwork> networks = docker.inspectContainerCmd(handle.ref()).exec().getNetworkSettings()
                .getNetworks();
        return networks.values().iterator().next().getGateway();
    }

    private static ExecResult connect(RuntimeHandle handle, String host, int port) {
        return runtime.exec(handle, "timeout", "5", "bash", "-c", "exec 3<>/dev/tcp/" + host + "/" + port);
    }

    @Test
    void aSealedEnvironmentCannotReachTheHostsServicesWhileAnOpenOneCan() throws Exception {
        AtomicInteger accepted = new AtomicInteger();
        try (ServerSocket hostService = new ServerSocket(0, 50, InetAddress.getByName("0.0.0.0"))) {
            Thread.ofVirtual().start(() -> {
                while (!hostService.isClosed()) {
                    try (Socket s = hostService.accept()) {
                        accepted.incrementAndGet();
                    } catch (Exception closed) {
                        return;
                    }
                }
            });
            int port = hostService.getLocalPort();
            RuntimeHandle open = started(Specs.openbox("open", 1, 512, Egress.OPEN));
            RuntimeHandle sealed = started(Specs.openbox("sealed", 1, 512, Egress.NONE));
            String openGateway = gateway(open);
            String sealedGateway = gateway(sealed);

            ExecResult control = connect(open, openGateway, port);
            assertThat(control.exitCode()).as("the control: an open environment reaches the host service at "
                    + openGateway + ":" + port + ": " + control).isZero();
            int afterControl = accepted.get();
            assertThat(afterControl).isPositive();

            ExecResult ownGateway = connect(sealed, sealedGateway, port);
            assertThat(ownGateway.exitCode()).as("a sealed environment reaches the host service through its own "
                    + "bridge (" + sealedGateway + ") — is the iptables rule for gn-* installed? " + ownGateway).isNotZero();
            ExecResult otherAddress = connect(sealed, openGateway, port);
            assertThat(otherAddress.exitCode()).as("a sealed environment reaches the host service at another host "
                    + "address (" + openGateway + "): " + otherAddress).isNotZero();
            assertThat(accepted.get()).as("connections the host service accepted from the sealed one")
                    .isEqualTo(afterControl);
        }
    }
}
