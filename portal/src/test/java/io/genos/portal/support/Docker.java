package io.genos.portal.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** The docker CLI, for tests that check what really exists on the host (never a fake of it). */
public final class Docker {

    private Docker() {}

    /** Runs {@code docker ARGS} and returns its standard output (standard error is dropped). */
    public static String docker(String... args) {
        try {
            Process p = new ProcessBuilder(command(args)).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor();
            return out;
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException("docker " + String.join(" ", args) + ": " + e, e);
        }
    }

    /** Whether {@code docker ARGS} exits 0. */
    public static boolean dockerOk(String... args) {
        try {
            Process p = new ProcessBuilder(command(args)).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /** Removes every container carrying the label (cleanup after a test that failed half-way). */
    public static void removeLabelled(String label) {
        for (String id : docker("ps", "-aq", "--filter", "label=" + label).lines().toList()) {
            docker("rm", "-f", id);
        }
    }

    private static List<String> command(String... args) {
        List<String> cmd = new ArrayList<>(List.of("docker"));
        cmd.addAll(List.of(args));
        return cmd;
    }
}
