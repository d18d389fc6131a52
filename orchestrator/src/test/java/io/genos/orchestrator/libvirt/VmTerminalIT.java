package io.genos.orchestrator.libvirt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.genos.orchestrator.EnvironmentRuntime;
import io.genos.orchestrator.InvalidRequestException;
import io.genos.orchestrator.RuntimeHandle;
import io.genos.orchestrator.RuntimeRequest;
import io.genos.orchestrator.Terminal;
import io.genos.orchestrator.TerminalOutput;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A VM's serial console as a terminal ({@link LibvirtRuntime#attachTerminal}), against the real libvirtd and QEMU with
 * the debian-tiny-vm image, whose busybox shell runs on ttyS0. Its domain carries owner {@code it-<uuid>} and is
 * removed after the test, passed or not.
 */
class VmTerminalIT {
    private static Path instances;
    private static LibvirtRuntime runtime;
    private final String owner = "it-" + UUID.randomUUID();
    private final String environmentId = UUID.randomUUID().toString();

    @BeforeAll
    static void prepare() throws Exception {
        TinyVm.ensureBuilt();
        instances = Files.createTempDirectory("genos-vms-it");
        Files.setPosixFilePermissions(instances, PosixFilePermissions.fromString("rwxr-xr-x"));
        runtime = new LibvirtRuntime(LibvirtProperties.defaults().withDirectories(TinyVm.IMAGES, instances));
    }

    @AfterAll
    static void disconnect() throws Exception {
        runtime.close();
        try (var files = Files.list(instances)) {
            assertThat(files.toList()).as("files left in the instances directory").isEmpty();
        }
        Files.delete(instances);
    }

    @AfterEach
    void removeWhatThisTestCreated() throws Exception {
        io.genos.orchestrator.Leftovers.removeDomains(owner);
        runtime.destroy(new RuntimeHandle(environmentId, null));
    }

    /** Collects a terminal's output as text and its end. */
    static final class Screen implements TerminalOutput {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final CompletableFuture<String> closed = new CompletableFuture<>();

        @Override
        public synchronized void output(byte[] b) {
            bytes.writeBytes(b);
        }

        @Override
        public void closed(String reason) {
            closed.complete(reason);
        }

        synchronized String text() {
            return bytes.toString(StandardCharsets.UTF_8);
        }

        /** Waits until the output shows this text; returns how long that took. */
        Duration await(String expected, Duration timeout) throws InterruptedException {
            long t0 = System.nanoTime();
            while (System.nanoTime() - t0 < timeout.toNanos()) {
                if (text().contains(expected)) {
                    return Duration.ofNanos(System.nanoTime() - t0);
                }
                Thread.sleep(50);
            }
            throw new AssertionError("no \"" + expected + "\" in the terminal within " + timeout.toSeconds()
                    + " s; it shows:\n" + text());
        }
    }

    @Test
    void typesIntoTheSerialShellAndAReattachFindsTheSameShellAndTakesTheConsoleOver() throws Exception {
        RuntimeHandle handle = runtime.create(new RuntimeRequest(environmentId, owner, "console",
                TinyVm.resolution("console", 1, 256, null), "pw123456"));
        assertThatThrownBy(() -> runtime.attachTerminal(handle, 80, 24, new Screen()))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("not running");
        runtime.start(handle);
        TinyVm.awaitSerial(runtime, handle, TinyVm.MARKER, Duration.ofSeconds(60));

        Screen first = new Screen();
        long t0 = System.nanoTime();
        Terminal terminal = runtime.attachTerminal(handle, 120, 40, first);
        long attachMillis = (System.nanoTime() - t0) / 1_000_000;
        assertThat(terminal.isOpen()).isTrue();
        terminal.resize(100, 30); // a serial line has no size: accepted, changes nothing
        assertThatThrownBy(() -> terminal.resize(0, 30)).isInstanceOf(InvalidRequestException.class);
        // the arithmetic happens in the guest's shell: the typed line holds "$((6*7))", only the output holds 42
        terminal.write("GENOS_MARK=kept-$$; echo genos-$((6*7))\r".getBytes(StandardCharsets.US_ASCII));
        Duration roundTrip = first.await("genos-42", Duration.ofSeconds(20));

        terminal.close();
        assertThat(terminal.isOpen()).isFalse();
        assertThat(first.closed.get(5, TimeUnit.SECONDS)).isEqualTo("closed");
        terminal.close(); // idempotent

        Screen second = new Screen();
        Terminal again = runtime.attachTerminal(handle, 80, 24, second);
        again.write("echo \"again-$GENOS_MARK-$$\"\r".getBytes(StandardCharsets.US_ASCII));
        second.await("again-kept-", Duration.ofSeconds(20));
        String shown = second.text();
        // the same shell: the variable set through the first attach is there, and $$ (the shell's pid) is the same
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("again-kept-(\\d+)-(\\d+)").matcher(shown);
        assertThat(m.find()).as("the echoed line in: " + shown).isTrue();
        assertThat(m.group(1)).isEqualTo(m.group(2));

        // a third attach (a browser reload while the second is open) takes the console over; the second one ends
        Screen third = new Screen();
        Terminal taker = runtime.attachTerminal(handle, 80, 24, third);
        assertThat(second.closed.get(10, TimeUnit.SECONDS)).contains("console ended");
        assertThat(again.isOpen()).isFalse();
        taker.write("echo taken-$((5+5))\r".getBytes(StandardCharsets.US_ASCII));
        third.await("taken-10", Duration.ofSeconds(20));
        taker.close();

        runtime.destroy(handle);
        assertThat(runtime.listByLabels(Map.of(EnvironmentRuntime.LABEL_ENVIRONMENT, environmentId))).isEmpty();
        assertThat(instances.resolve(environmentId)).doesNotExist();
        System.out.printf("VM terminal (%s): attach %d ms, typed line -> output %d ms%n", runtime.acceleration(),
                attachMillis, roundTrip.toMillis());
    }
}
