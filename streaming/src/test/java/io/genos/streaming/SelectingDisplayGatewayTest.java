package io.genos.streaming;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.genos.spec.DisplayEndpoint;
import io.genos.spec.Streaming.Protocol;
import java.util.ArrayList;
import java.util.List;
import org.apache.guacamole.net.SimpleGuacamoleTunnel;
import org.apache.guacamole.protocol.GuacamoleStatus;
import org.junit.jupiter.api.Test;

class SelectingDisplayGatewayTest {

    private final List<String> opened = new ArrayList<>();

    private DisplayGateway recording(String name) {
        return (endpoint, screen) -> {
            opened.add(name + " " + endpoint.protocol().json());
            return new SimpleGuacamoleTunnel(null);
        };
    }

    private static DisplayEndpoint endpoint(Protocol protocol) {
        return new DisplayEndpoint(protocol, "127.0.0.1", 5901, null);
    }

    @Test
    void withoutGuacdVncGoesThroughTheBridge() {
        new SelectingDisplayGateway(recording("bridge"), null).open(endpoint(Protocol.VNC), ClientScreen.DEFAULT);
        assertThat(opened).containsExactly("bridge vnc");
    }

    @Test
    void withoutGuacdRdpIsRefusedWithAMessageNamingTheSetting() {
        SelectingDisplayGateway gateway = new SelectingDisplayGateway(recording("bridge"), null);
        assertThatThrownBy(() -> gateway.open(endpoint(Protocol.RDP), ClientScreen.DEFAULT))
                .isInstanceOf(StreamingException.class)
                .hasMessage("This environment's display speaks RDP. GenOS shows SPICE, RDP and SSH displays through an "
                        + "external guacd, and none is configured here: ask your administrator to set "
                        + "genos.streaming.guacd-host (see configs/README.md).")
                .extracting(e -> ((StreamingException) e).status()).isEqualTo(GuacamoleStatus.UNSUPPORTED);
        assertThat(opened).isEmpty();
    }

    @Test
    void withGuacdEveryProtocolGoesThroughGuacd() {
        SelectingDisplayGateway gateway = new SelectingDisplayGateway(recording("bridge"), recording("guacd"));
        gateway.open(endpoint(Protocol.VNC), ClientScreen.DEFAULT);
        gateway.open(endpoint(Protocol.SPICE), ClientScreen.DEFAULT);
        assertThat(opened).containsExactly("guacd vnc", "guacd spice");
    }

    @Test
    void propertiesDefaultToTheEmbeddedBridgeAndRejectBadPorts() {
        assertThat(new StreamingProperties(null, 4822, 0).guacdConfigured()).isFalse();
        assertThat(new StreamingProperties(" guacd ", 4822, 0).guacdHost()).isEqualTo("guacd");
        assertThat(new StreamingProperties("guacd", 0, 0).guacdPort()).as("unset port").isEqualTo(4822);
        assertThatThrownBy(() -> new StreamingProperties("", -1, 0)).hasMessageContaining("guacd-port");
        assertThatThrownBy(() -> new StreamingProperties("", 4822, 70000)).hasMessageContaining("bridge-listen-port");
    }

    @Test
    void aClientScreenOutOfRangeIsABadRequest() {
        assertThatThrownBy(() -> new ClientScreen(0, 768, 96))
                .isInstanceOf(StreamingException.class)
                .extracting(e -> ((StreamingException) e).status()).isEqualTo(GuacamoleStatus.CLIENT_BAD_REQUEST);
    }

    @Test
    void theRefusalIsSaidBeforeConnectingOnlyForSpiceRdpAndSshWithoutGuacd() {
        assertThat(SelectingDisplayGateway.refusal(Protocol.VNC, false)).isEmpty();
        assertThat(SelectingDisplayGateway.refusal(Protocol.SPICE, true)).isEmpty();
        assertThat(SelectingDisplayGateway.refusal(Protocol.RDP, true)).isEmpty();
        assertThat(SelectingDisplayGateway.refusal(Protocol.SPICE, false)).hasValueSatisfying(m -> assertThat(m)
                .startsWith("This environment's display speaks SPICE.").contains("genos.streaming.guacd-host"));
    }

    @Test
    void withoutGuacdSpiceIsRefusedAndNothingIsOpened() {
        SelectingDisplayGateway gateway = new SelectingDisplayGateway(recording("bridge"), null);
        assertThatThrownBy(() -> gateway.open(endpoint(Protocol.SPICE), ClientScreen.DEFAULT))
                .hasMessageStartingWith("This environment's display speaks SPICE.");
        assertThat(opened).isEmpty();
    }
}
