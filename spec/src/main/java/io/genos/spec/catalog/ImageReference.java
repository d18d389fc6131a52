package io.genos.spec.catalog;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An OCI image reference as Docker reads it: {@code [registry[:port]/]path[:tag][@digest]}, e.g.
 * {@code registry.example.org/team/ubuntu:24.04} or {@code 127.0.0.1:5000/team/debian:12}. Only well-formed references
 * are made (Docker's grammar), so one can be handed to Docker and shown to people as it is.
 *
 * @param registry the registry's host and port, or null for Docker's default registry
 * @param path the repository path in the registry, e.g. {@code team/ubuntu}
 * @param tag the tag, or null (Docker then takes {@code latest}, unless there is a digest)
 * @param digest e.g. {@code sha256:…}, or null
 */
public record ImageReference(String registry, String path, String tag, String digest) {

    /** At most this long in all, as Docker allows for a repository name. */
    public static final int MAX_LENGTH = 255;
    private static final String COMPONENT = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
    private static final String HOST = "(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*";
    private static final Pattern REFERENCE = Pattern.compile("(?:(" + HOST + "(?::[0-9]{1,5})?)/)?(" + COMPONENT
            + "(?:/" + COMPONENT + ")*)(?::([A-Za-z0-9_][A-Za-z0-9_.-]{0,127}))?(?:@([a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-fA-F0-9]{32,}))?");

    /**
     * Reads a reference.
     *
     * @throws IllegalArgumentException saying what is wrong
     */
    public static ImageReference parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("an image reference is empty");
        }
        if (text.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("an image reference is at most " + MAX_LENGTH + " characters");
        }
        Matcher m = REFERENCE.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("\"" + text + "\" is not an image reference: write it as Docker does, "
                    + "registry.example.org/team/ubuntu:24.04 (lower-case path, an optional :tag or @sha256:digest)");
        }
        String registry = m.group(1);
        String path = m.group(2);
        if (registry == null && path.contains("/")) {
            // "team/ubuntu" on Docker's default registry; a first part that looks like a host is the registry
            String first = path.substring(0, path.indexOf('/'));
            if (first.equals("localhost")) {
                registry = first;
                path = path.substring(first.length() + 1);
            }
        } else if (registry != null && !registry.contains(".") && !registry.contains(":")
                && !registry.equals("localhost")) {
            // "team/ubuntu": the first part is a path component, not a host
            path = registry + "/" + path;
            registry = null;
            if (!path.matches(COMPONENT + "(?:/" + COMPONENT + ")*")) {
                throw new IllegalArgumentException("\"" + text + "\" is not an image reference: the repository path "
                        + "is lower-case letters, digits and separators");
            }
        }
        if (registry != null && registry.contains(":")) {
            int port = Integer.parseInt(registry.substring(registry.lastIndexOf(':') + 1));
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("\"" + text + "\" names the registry port " + port
                        + ", which is not between 1 and 65535");
            }
        }
        return new ImageReference(registry, path, m.group(3), m.group(4));
    }

    /** The repository as Docker's pull takes it: registry and path. */
    public String repository() {
        return registry == null ? path : registry + "/" + path;
    }

    /** What Docker's pull takes as its tag: the digest when there is one, else the tag, else {@code latest}. */
    public String tagOrDigest() {
        return digest != null ? digest : tag != null ? tag : "latest";
    }

    @Override
    public String toString() {
        return repository() + (tag == null ? "" : ":" + tag) + (digest == null ? "" : "@" + digest);
    }
}
