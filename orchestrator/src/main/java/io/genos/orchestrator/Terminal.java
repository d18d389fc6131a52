package io.genos.orchestrator;

/**
 * A terminal attached to a running environment: a pseudo-terminal whose output goes to the
 * {@link TerminalOutput} given when it was attached. For containers it runs {@code tmux new-session -A -s genos},
 * so closing the terminal only detaches: the shell, its history and its screen wait for the next attach.
 */
public interface Terminal extends AutoCloseable {

    /** Sends keystrokes (or pasted text) to the terminal, as UTF-8 bytes. */
    void write(byte[] input);

    /** Changes the terminal's size in character cells; both must be between 1 and 1000. */
    void resize(int columns, int rows);

    /** Whether the terminal is still attached (its process has not ended and it was not closed). */
    boolean isOpen();

    /** Detaches: the terminal's client ends, the shell (tmux session) keeps running. Idempotent. */
    @Override
    void close();
}
