package io.genos.portal.e2e;

import static io.genos.portal.support.TestPortal.ensureUser;
import static io.genos.portal.support.TestPortal.tempHome;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.JdbcUserDetailsManager;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The portal behind Debian's nginx ending TLS, with the example configuration {@code configs/nginx/genos.conf} as
 * it is (only its ports, server name and certificate paths replaced) and the two settings it asks for. Over the
 * proxy: HSTS and the usual headers; redirects that come back to https on the proxy's port (the forwarded headers
 * are honoured); in Chromium, a sign-in whose session cookie is Secure, and a WebSocket to the display tunnel that
 * passes the proxy (the server answers inside it). The portal's own plain-HTTP port is the control: no HSTS there.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class TlsProxyIT {
    private static final Path HOME = tempHome("genos-tls-e2e-");
    private static final Path EXAMPLE = Path.of("..", "configs", "nginx", "genos.conf");
    private static Process nginx;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("genos.home", HOME::toString);
        registry.add("genos.portal.admin-password", () -> "admin-" + UUID.randomUUID());
        // what configs/README.md asks for behind a TLS proxy
        registry.add("server.forward-headers-strategy", () -> "native");
        registry.add("server.servlet.session.cookie.secure", () -> "true");
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcUserDetailsManager users;

    @Autowired
    PasswordEncoder encoder;

    @AfterAll
    static void stopNginx() throws Exception {
        if (nginx != null) {
            nginx.destroy();
            nginx.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** Starts nginx with the example on free loopback ports; returns the TLS port. */
    private int startNginx() throws Exception {
        assertThat(Path.of("/usr/sbin/nginx")).as("nginx (Debian package nginx; ./genos test installs it)").isExecutable();
        Path dir = HOME.resolve("nginx");
        Files.createDirectories(dir.resolve("logs"));
        run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=localhost",
                "-addext", "subjectAltName=DNS:localhost", "-keyout", dir.resolve("genos.key").toString(), "-out",
                dir.resolve("genos.crt").toString());
        int tls = freePort();
        int plain = freePort();
        String site = Files.readString(EXAMPLE);
        for (String[] r : List.of(new String[] {"server 127.0.0.1:8080;", "server 127.0.0.1:" + port + ";"},
                new String[] {"listen 443 ssl http2;", "listen 127.0.0.1:" + tls + " ssl http2;"},
                new String[] {"listen 80;", "listen 127.0.0.1:" + plain + ";"},
                new String[] {"/etc/ssl/genos/", dir + "/"})) {
            assertThat(site).as("the example still has " + r[0]).contains(r[0]);
            site = site.replace(r[0], r[1]);
        }
        site = site.replace("server_name genos.example.org;", "server_name localhost;");
        Files.writeString(dir.resolve("genos.conf"), site);
        Files.writeString(dir.resolve("nginx.conf"), """
                worker_processes 1;
                pid %1$s/nginx.pid;
                error_log %1$s/logs/error.log warn;
                events { worker_connections 256; }
                http {
                    access_log %1$s/logs/access.log;
                    client_body_temp_path %1$s/body;
                    proxy_temp_path %1$s/proxy;
                    fastcgi_temp_path %1$s/fastcgi;
                    uwsgi_temp_path %1$s/uwsgi;
                    scgi_temp_path %1$s/scgi;
                    include %1$s/genos.conf;
                }
                """.formatted(dir));
        run("chmod", "-R", "a+rwX", dir.toString());
        run("/usr/sbin/nginx", "-t", "-p", dir.toString(), "-c", dir.resolve("nginx.conf").toString());
        nginx = new ProcessBuilder("/usr/sbin/nginx", "-p", dir.toString(), "-c", dir.resolve("nginx.conf").toString(),
                "-g", "daemon off;").redirectErrorStream(true).redirectOutput(dir.resolve("logs/stdout.log").toFile())
                .start();
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), tls)) {
                return true;
            } catch (java.io.IOException e) {
                return false;
            }
        });
        return tls;
    }

    @Test
    void behindNginxTheSiteIsHttpsOnlyRedirectsStayThereAndTunnelsPass() throws Exception {
        ensureUser(users, encoder, "tina", "tina-pass-1");
        int tls = startNginx();
        String proxied = "https://localhost:" + tls;
        HttpClient http = HttpClient.newBuilder().sslContext(trustingEveryone()).followRedirects(HttpClient.Redirect.NEVER)
                .build();

        HttpResponse<String> login = http.send(HttpRequest.newBuilder(URI.create(proxied + "/login")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(login.statusCode()).isEqualTo(200);
        assertThat(login.headers().firstValue("Strict-Transport-Security")).hasValueSatisfying(v ->
                assertThat(v).contains("max-age=31536000"));
        assertThat(login.headers().firstValue("Content-Security-Policy")).isPresent();
        // the control: the portal's own port, plain HTTP, has no HSTS
        HttpResponse<String> direct = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + port + "/login")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(direct.statusCode()).isEqualTo(200);
        assertThat(direct.headers().firstValue("Strict-Transport-Security")).isEmpty();

        // a page that needs a sign-in sends the browser to the sign-in page on the proxy, over https
        HttpResponse<String> redirected = http.send(HttpRequest.newBuilder(URI.create(proxied + "/environments"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(redirected.statusCode()).isBetween(300, 399);
        assertThat(redirected.headers().firstValue("Location")).hasValueSatisfying(l ->
                assertThat(l).startsWith(proxied + "/login"));

        try (Browser b = new Browser(proxied, "tina-tls", "--ignore-certificate-errors")) {
            b.signIn("tina", "tina-pass-1");
            b.screenshot("signed-in-over-tls");
            var cookie = b.driver.manage().getCookieNamed("JSESSIONID");
            assertThat(cookie).isNotNull();
            assertThat(cookie.isSecure()).as("the session cookie is Secure").isTrue();
            assertThat(cookie.isHttpOnly()).isTrue();
            // the display tunnel through the proxy: the portal answers inside the WebSocket (no environment named)
            Object reply = b.driver.executeAsyncScript("""
                    const done = arguments[arguments.length - 1];
                    const ws = new WebSocket('wss://' + location.host + '/tunnel?width=800&height=600', 'guacamole');
                    let got = '';
                    ws.onmessage = (m) => { got += m.data; };
                    ws.onclose = (e) => done(got + ' close:' + e.code);
                    ws.onerror = () => {};
                    setTimeout(() => done(got + ' timeout'), 10000);""");
            assertThat(String.valueOf(reply)).contains("5.error", "No environment id given");
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", command) + ": " + out).isZero();
    }

    /** Trusts the throwaway certificate (and any: this client only talks to the test's own nginx on loopback). */
    private static SSLContext trustingEveryone() throws Exception {
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, new TrustManager[] {new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {}

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {}

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }}, null);
        return ctx;
    }
}
