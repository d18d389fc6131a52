package io.genos.spec.catalog;

import io.genos.spec.Desktop;
import io.genos.spec.Kind;
import io.genos.spec.Os;
import io.genos.spec.Resources;
import io.genos.spec.Streaming.Protocol;
import java.util.List;

/**
 * One image of the catalog.
 *
 * @param id catalog id, e.g. {@code debian-xfce}
 * @param kind container or vm
 * @param os operating system of the image
 * @param desktop the desktop it runs ({@link Desktop#NONE} for terminal-only)
 * @param protocols display protocols it speaks, the first is the default
 * @param defaults default resources when the spec does not say
 * @param packages preinstalled packages (Debian names)
 * @param reference the runtime's reference: a Docker image tag, or a VM base image file name
 * @param displayPort the port of its display server inside the environment (5901 for VNC display :1)
 * @param description one line for people
 */
public record CatalogImage(
        String id,
        Kind kind,
        Os os,
        Desktop desktop,
        List<Protocol> protocols,
        Resources defaults,
        List<String> packages,
        String reference,
        int displayPort,
        String description) {

    public CatalogImage {
        protocols = protocols == null ? List.of() : List.copyOf(protocols);
        packages = packages == null ? List.of() : List.copyOf(packages);
    }

    public boolean graphical() {
        return desktop != null && desktop != Desktop.NONE;
    }
}
