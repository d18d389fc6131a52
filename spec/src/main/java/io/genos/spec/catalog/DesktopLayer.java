package io.genos.spec.catalog;

import java.util.List;

/**
 * The recipe of a desktop composed on demand on a catalog image without one: Debian packages (installed without
 * recommends, with TigerVNC among them) and the session script that runs on the VNC display.
 *
 * @param packages what the layer installs
 * @param session the lines of {@code /etc/genos/session}, run by {@code genos-session} once Xvnc listens
 */
public record DesktopLayer(List<String> packages, List<String> session) {

    public DesktopLayer {
        packages = packages == null ? List.of() : List.copyOf(packages);
        session = session == null ? List.of() : List.copyOf(session);
        if (packages.isEmpty() || session.isEmpty()) {
            throw new IllegalArgumentException("a desktop layer needs packages and a session");
        }
        packages.forEach(PackageNames::require);
    }
}
