package io.genos.orchestrator;

import java.time.Instant;
import java.util.regex.Pattern;

/**
 * A saved state of an environment that it can be reverted to. For VMs it holds the disk and, when taken while the VM
 * ran, its memory too: reverting brings back the running VM as it was.
 *
 * @param name unique per environment, a DNS label: 1 to 63 lower-case letters, digits and dashes, starting with a
 *     letter and not ending with a dash
 * @param createdAt when it was taken (whole seconds, as the runtime records it)
 * @param description free text, e.g. who took it; may be null
 */
public record Snapshot(String name, Instant createdAt, String description) {
    private static final Pattern NAME = Pattern.compile("[a-z]([a-z0-9-]{0,61}[a-z0-9])?");

    /**
     * Refuses a snapshot name that is not a DNS label, with a message that says what is allowed.
     *
     * @return the name, for chaining
     * @throws InvalidRequestException for null, empty or otherwise bad names
     */
    public static String checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new InvalidRequestException("the snapshot name " + (name == null ? "(none)" : "\"" + name + "\"")
                    + " is not allowed: use 1 to 63 lower-case letters, digits or dashes, starting with a letter and "
                    + "not ending with a dash (e.g. before-upgrade)");
        }
        return name;
    }
}
