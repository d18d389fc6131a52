package io.genos.streaming.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.genos.spec.DisplayEndpoint;
import io.genos.spec.Streaming.Protocol;
import io.genos.streaming.SelectingDisplayGateway;
import io.genos.streaming.StreamingProperties;
import io.genos.streaming.TunnelRefusedException;
import io.genos.streaming.support.DesktopContainer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.guacamole.protocol.GuacamoleStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The tunnel handler in a real servlet container (embedded Tomcat 11, Spring's standard WebSocket adapter), spoken
 * to over a real WebSocket with the sub-protocol guacamole-common-js uses, in front of a real Xvnc.
 */
@org.junit.jupiter.api.Timeout(120)
class GuacamoleTunnelHandlerIT {

    private static final String PASSWORD = "tunnel12";
    private static DesktopContainer desktop;
    private static TunnelTestServer server;
    private static int port;
    private static final BlockingQueue<String> inputs = new LinkedBlockingQueue<>();

    @BeforeAll
    static void start() throws Exception {
        desktop = DesktopContainer.start(PASSWORD, "1024x768");
        GuacamoleTunnelHandler handler = new GuacamoleTunnelHandler((environmentId, user) -> {
            if (user == null) {
                throw TunnelRefusedException.unauthorized("Sign in to open a display");
            }
            if (!user.getName().equals("alice")) {
                throw TunnelRefusedException.forbidden("Only the owner of " + environmentId + " may open its display");
            }
            return environmentId.equals("rdp-env")
                    ? new DisplayEndpoint(Protocol.RDP, "127.0.0.1", 3389, null)
                    : new DisplayEndpoint(Protocol.VNC, "127.0.0.1", desktop.port(), PASSWORD);
        }, SelectingDisplayGateway.forProperties(StreamingProperties.EMBEDDED), inputs::add, GuacamoleTunnelHandler.Traffic.NONE);

        server = TunnelTestServer.start(handler, null);
        port = server.port();
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        if (desktop != null) {
            desktop.close();
        }
    }

    /** Collects whole text messages and the close code. */
    static final class Browser implements WebSocket.Listener {
        final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
        final CompletableFuture<Integer> closed = new CompletableFuture<>();
        WebSocket socket;
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                messages.add(partial.toString());
                partial.setLength(0);
            }
            socket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket socket, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        String next() throws InterruptedException {
            String message = messages.poll(15, TimeUnit.SECONDS);
            assertThat(message).as("a message from the tunnel").isNotNull();
            return message;
        }

        /** Reads messages until one contains {@code fragment}, returning it. */
        String until(String fragment) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            StringBuilder seen = new StringBuilder();
            while (System.nanoTime() < deadline) {
                String message = messages.poll(1, TimeUnit.SECONDS);
                if (message != null && message.contains(fragment)) {
                    return message;
                }
                if (message != null && seen.length() < 2000) {
                    seen.append(message, 0, Math.min(200, message.length())).append(" | ");
                }
            }
            throw new AssertionError("No message with " + fragment + " within 20 s; saw: " + seen);
        }
    }

    private static Browser open(String user, String query) throws Exception {
        Browser browser = new Browser();
        WebSocket.Builder builder = HttpClient.newHttpClient().newWebSocketBuilder().subprotocols("guacamole");
        if (user != null) {
            builder.header("X-Test-User", user);
        }
        WebSocket socket = builder.buildAsync(URI.create("ws://127.0.0.1:" + port + "/tunnel?" + query), browser)
                .get(10, TimeUnit.SECONDS);
        assertThat(socket.getSubprotocol()).isEqualTo("guacamole");
        browser.socket = socket;
        return browser;
    }

    @Test
    void theOwnerGetsTheTunnelUuidThenTheDesktopAndPingsAreEchoed() throws Exception {
        Browser browser = open("alice", "id=env-1&width=1280&height=720&dpi=96");
        assertThat(browser.next()).matches("0\\.,36\\.[0-9a-f-]{36};");
        assertThat(browser.next()).startsWith("4.size,1.0,4.1024,3.768;");
        String frame = browser.until("4.sync,");
        String timestamp = frame.substring(frame.lastIndexOf("4.sync,") + 7).replaceAll("^\\d+\\.(\\d+);.*$", "$1");
        browser.socket.sendText("4.sync," + timestamp.length() + "." + timestamp + ";", true).get();

        String ping = "0.,4.ping,13.1700000000000;";
        browser.socket.sendText(ping, true).get();
        assertThat(browser.until("ping")).isEqualTo(ping);

        browser.socket.sendText("10.disconnect;", true).get();
        assertThat(browser.closed.get(10, TimeUnit.SECONDS)).isEqualTo(1000);
    }

    @Test
    void keysAndPointerMovesCountAsInputAndSyncAcknowledgementsDoNot() throws Exception {
        inputs.clear();
        Browser browser = open("alice", "id=env-7&width=1024&height=768");
        String frame = browser.until("4.sync,");
        String timestamp = frame.substring(frame.lastIndexOf("4.sync,") + 7).replaceAll("^\\d+\\.(\\d+);.*$", "$1");
        browser.socket.sendText("4.sync," + timestamp.length() + "." + timestamp + ";", true).get();
        assertThat(inputs.poll(500, TimeUnit.MILLISECONDS)).as("input after a sync acknowledgement").isNull();
        browser.socket.sendText("5.mouse,2.10,2.20,1.0;", true).get();
        assertThat(inputs.poll(5, TimeUnit.SECONDS)).isEqualTo("env-7");
        browser.socket.sendText("3.key,5.65307,1.1;", true).get();
        assertThat(inputs.poll(5, TimeUnit.SECONDS)).isEqualTo("env-7");
        browser.socket.sendText("10.disconnect;", true).get();
    }

    @Test
    void someoneElseIsRefusedWithForbiddenAndAMatchingCloseCode() throws Exception {
        Browser browser = open("mallory", "id=env-1");
        String error = browser.next();
        assertThat(error).startsWith("5.error,").contains("Only the owner of env-1")
                .endsWith("," + String.valueOf(GuacamoleStatus.CLIENT_FORBIDDEN.getGuacamoleStatusCode()).length() + "."
                        + GuacamoleStatus.CLIENT_FORBIDDEN.getGuacamoleStatusCode() + ";");
        assertThat(browser.closed.get(10, TimeUnit.SECONDS)).isEqualTo(GuacamoleStatus.CLIENT_FORBIDDEN.getWebSocketCode());
    }

    @Test
    void anAnonymousUserIsRefusedAsUnauthorized() throws Exception {
        Browser browser = open(null, "id=env-1");
        assertThat(browser.next()).contains("Sign in").contains(",3.769;");
        assertThat(browser.closed.get(10, TimeUnit.SECONDS)).isEqualTo(GuacamoleStatus.CLIENT_UNAUTHORIZED.getWebSocketCode());
    }

    @Test
    void anRdpDisplayWithoutGuacdIsRefusedWithAClearMessage() throws Exception {
        Browser browser = open("alice", "id=rdp-env");
        assertThat(browser.next()).contains("through an external guacd").contains("none is configured here");
        assertThat(browser.closed.get(10, TimeUnit.SECONDS)).isEqualTo(GuacamoleStatus.UNSUPPORTED.getWebSocketCode());
    }

    @Test
    void aMalformedClientInstructionEndsTheTunnelWithBadRequest() throws Exception {
        Browser browser = open("alice", "id=env-1");
        browser.until("4.sync,");
        browser.socket.sendText("3.key,1.x,1.1;", true).get();
        assertThat(browser.until("5.error,")).contains("key").contains("not an integer").endsWith(",3.768;");
        assertThat(browser.closed.get(10, TimeUnit.SECONDS)).isNotNull();
    }
}
