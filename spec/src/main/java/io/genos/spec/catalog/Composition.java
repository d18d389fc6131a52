package io.genos.spec.catalog;

import io.genos.spec.Desktop;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How a container image is composed on demand: layers on a catalog image. Each layer is built once and reused by
 * every later launch that needs it (the runtime tags it by the hash of its parent and its recipe).
 *
 * @param start the catalog image the layers go on
 * @param desktop the desktop layer's desktop, or null when the start image's desktop is kept
 * @param desktopLayer its recipe, or null
 * @param packages the package layer: the names asked for that the image below does not have, sorted; may be empty
 * @param session whether a first layer adds GenOS's session to a start image that was not built for GenOS (a registry
 *     image): a user of its own with sudo, a shell, tmux for the terminal, and a process that keeps the container up
 */
public record Composition(CatalogImage start, Desktop desktop, DesktopLayer desktopLayer, List<String> packages,
        boolean session) {

    /** The layer that gives an image GenOS's session, as a person reads it. */
    public static final String SESSION_LAYER = "GenOS's session (a user, tmux)";

    public Composition {
        if (start == null) {
            throw new IllegalArgumentException("a composition starts from a catalog image");
        }
        if ((desktop == null) != (desktopLayer == null)) {
            throw new IllegalArgumentException("a desktop layer needs both its desktop and its recipe");
        }
        packages = packages == null ? List.of() : packages.stream().distinct().sorted().toList();
        packages.forEach(PackageNames::require);
    }

    /** A composition on an image built for GenOS (no session layer). */
    public Composition(CatalogImage start, Desktop desktop, DesktopLayer desktopLayer, List<String> packages) {
        this(start, desktop, desktopLayer, packages, false);
    }

    /** Whether there is any layer to add. */
    public boolean hasLayers() {
        return session || desktop != null || !packages.isEmpty();
    }

    /** The layers, in build order, as a person reads them: "the KDE desktop", "the packages gimp, htop". */
    public List<String> layerNames() {
        List<String> names = new ArrayList<>();
        if (session) {
            names.add(SESSION_LAYER);
        }
        if (desktop != null) {
            names.add("the " + desktop.json().toUpperCase(Locale.ROOT) + " desktop");
        }
        if (!packages.isEmpty()) {
            names.add("the package" + (packages.size() == 1 ? " " : "s ") + String.join(", ", packages));
        }
        return names;
    }
}
