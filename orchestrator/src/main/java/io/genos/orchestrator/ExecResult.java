package io.genos.orchestrator;

/** The outcome of a command run inside an environment. */
public record ExecResult(int exitCode, String stdout, String stderr) {
    public boolean succeeded() {
        return exitCode == 0;
    }
}
