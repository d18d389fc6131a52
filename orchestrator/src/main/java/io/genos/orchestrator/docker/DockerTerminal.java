package io.genos.orchestrator.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;
import io.genos.orchestrator.InvalidRequestException;
import io.genos.orchestrator.Terminal;
import io.genos.orchestrator.TerminalOutput;
import java.io.IOException;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@code docker exec} with a TTY running {@code tmux new-session -A -s genos}: the first attach creates the session,
 * every later one joins it. Closing ends only this tmux client (found by a marker in its environment), never the
 * session.
 */
final class DockerTerminal implements Terminal {
    private static final Logger log = LoggerFactory.getLogger(DockerTerminal.class);
    static final String SESSION = "genos";
    private static final String MARKER = "GENOS_TERMINAL";

    private final DockerClient docker;
    private final String container;
    private final String marker = UUID.randomUUID().toString();
    private final TerminalOutput output;
    private final AtomicBoolean open = new AtomicBoolean(true);
    private final AtomicBoolean closedReported = new AtomicBoolean();
    private final KeystrokeStream stdin = new KeystrokeStream();
    private String execId;
    private ResultCallback.Adapter<Frame> callback;

    private DockerTerminal(DockerClient docker, String container, TerminalOutput output) {
        this.docker = docker;
        this.container = container;
        this.output = output;
    }

    static DockerTerminal attach(DockerClient docker, String container, int columns, int rows, TerminalOutput output) {
        DockerTerminal t = new DockerTerminal(docker, container, output);
        t.start(columns, rows);
        return t;
    }

    private void start(int columns, int rows) {
        execId = docker.execCreateCmd(container)
                .withTty(true).withAttachStdin(true).withAttachStdout(true).withAttachStderr(true)
                .withEnv(List.of("TERM=xterm-256color", "LANG=C.UTF-8", MARKER + "=" + marker,
                        "COLUMNS=" + columns, "LINES=" + rows))
                .withCmd("tmux", "new-session", "-A", "-s", SESSION)
                .exec().getId();
        callback = docker.execStartCmd(execId).withTty(true).withStdIn(stdin).exec(new ResultCallback.Adapter<>() {
            @Override
            public void onNext(Frame frame) {
                byte[] payload = frame.getPayload();
                if (payload != null && payload.length > 0) {
                    output.output(payload);
                }
            }

            @Override
            public void onError(Throwable throwable) {
                ended(open.get() ? "the terminal failed: " + throwable.getMessage() : "closed");
            }

            @Override
            public void onComplete() {
                ended(open.get() ? "the shell ended" : "closed");
            }
        });
        resizeWhenStarted(columns, rows);
    }

    /** The exec's TTY exists only once it runs: retry the first resize briefly. */
    private void resizeWhenStarted(int columns, int rows) {
        RuntimeException last = null;
        for (int i = 0; i < 50; i++) {
            try {
                docker.resizeExecCmd(execId).withSize(rows, columns).exec();
                return;
            } catch (RuntimeException e) {
                last = e;
                try {
                    Thread.sleep(20);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        log.debug("first resize of {} failed: {}", execId, last == null ? "interrupted" : last.toString());
    }

    @Override
    public void write(byte[] input) {
        if (!open.get()) {
            throw new InvalidRequestException("the terminal is closed");
        }
        stdin.offer(input);
    }

    @Override
    public void resize(int columns, int rows) {
        if (columns < 1 || columns > 1000 || rows < 1 || rows > 1000) {
            throw new InvalidRequestException("a terminal of " + columns + "x" + rows
                    + " cells is not possible: use 1 to 1000 columns and rows");
        }
        if (!open.get()) {
            return;
        }
        try {
            docker.resizeExecCmd(execId).withSize(rows, columns).exec();
        } catch (RuntimeException e) {
            log.debug("resize of {} failed: {}", execId, e.toString());
        }
    }

    @Override
    public boolean isOpen() {
        return open.get();
    }

    @Override
    public void close() {
        if (!open.compareAndSet(true, false)) {
            return;
        }
        // end only our tmux client: the session (and its shell) stays for the next attach
        String script = "for p in $(tmux list-clients -t " + SESSION + " -F '#{client_pid}' 2>/dev/null); do "
                + "tr '\\0' '\\n' < /proc/$p/environ 2>/dev/null | grep -qx '" + MARKER + "=" + marker + "' "
                + "&& kill -HUP $p; done";
        try {
            String id = docker.execCreateCmd(container).withCmd("sh", "-c", script).withAttachStdout(true)
                    .withAttachStderr(true).exec().getId();
            docker.execStartCmd(id).exec(new ResultCallback.Adapter<Frame>()).awaitCompletion(5,
                    java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.debug("could not detach terminal {}: {}", execId, e.toString());
        }
        stdin.end();
        try {
            if (callback != null) {
                callback.close();
            }
        } catch (IOException e) {
            log.debug("closing the terminal's stream: {}", e.toString());
        }
        ended("closed");
    }

    private void ended(String reason) {
        open.set(false);
        if (closedReported.compareAndSet(false, true)) {
            try {
                output.closed(reason);
            } catch (RuntimeException e) {
                log.debug("terminal listener failed: {}", e.toString());
            }
        }
    }
}
