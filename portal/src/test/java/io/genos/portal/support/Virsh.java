package io.genos.portal.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** The virsh CLI on qemu:///system, for tests that check what libvirt really has (never a fake of it). */
public final class Virsh {

    private Virsh() {}

    /** Runs {@code virsh ARGS} and returns its standard output (standard error is dropped). */
    public static String virsh(String... args) {
        try {
            List<String> cmd = new ArrayList<>(List.of("virsh", "-c", "qemu:///system"));
            cmd.addAll(List.of(args));
            Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor();
            return out;
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException("virsh " + String.join(" ", args) + ": " + e, e);
        }
    }
}
