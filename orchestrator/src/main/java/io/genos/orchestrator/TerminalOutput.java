package io.genos.orchestrator;

/** Receives what an attached {@link Terminal} prints; called on a runtime thread, one call at a time. */
public interface TerminalOutput {

    /** Bytes the terminal printed (UTF-8, possibly split inside a character). */
    void output(byte[] bytes);

    /** The terminal ended (its process exited, the environment stopped, or it was closed); called once. */
    void closed(String reason);
}
