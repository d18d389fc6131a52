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
 * @param external whether an admin registered it (an OCI image from a registry, a qcow2 on the host) rather than
 *     GenOS building it: it need not carry GenOS's session (a user, tmux), which a composed layer then adds where GenOS
 *     drives its package manager, and a container image of it that is not on the host is pulled from its registry
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
        String description,
        boolean external) {

    public CatalogImage {
        protocols = protocols == null ? List.of() : List.copyOf(protocols);
        packages = packages == null ? List.of() : List.copyOf(packages);
    }

    /** An image GenOS builds (the catalog's own). */
    public CatalogImage(String id, Kind kind, Os os, Desktop desktop, List<Protocol> protocols, Resources defaults,
            List<String> packages, String reference, int displayPort, String description) {
        this(id, kind, os, desktop, protocols, defaults, packages, reference, displayPort, description, false);
    }

    /** This image under another runtime reference (the image a composition made of it). */
    public CatalogImage withReference(String newReference) {
        return new CatalogImage(id, kind, os, desktop, protocols, defaults, packages, newReference, displayPort,
                description, external);
    }

    /** Whether GenOS drives this image's package manager (apt: Debian and Ubuntu), so it can add layers to it. */
    public boolean aptBased() {
        return os != null && os.distro() != null
                && List.of("debian", "ubuntu").contains(os.distro().toLowerCase(java.util.Locale.ROOT));
    }

    public boolean graphical() {
        return desktop != null && desktop != Desktop.NONE;
    }
}
