package io.genos.orchestrator;

import java.time.Instant;
import java.util.List;

/**
 * A composed image layer a runtime keeps for later launches.
 *
 * @param ref what it is known by ({@code genos-composed:<hash>})
 * @param imageId the runtime's id of it
 * @param parentId the id of the layer (or catalog image) it was built on
 * @param layer "desktop" or "packages"
 * @param contents what it adds, as a person reads it: "KDE desktop", "gimp htop"
 * @param uniqueBytes what it takes on disk beyond its parent
 * @param builtAt when it was built
 * @param usedBy the environments whose resources run from it (their ids)
 * @param hasChildren whether other images (a layer above, a snapshot) are built on it, so it cannot go first
 */
public record CachedImage(String ref, String imageId, String parentId, String layer, String contents, long uniqueBytes,
        Instant builtAt, List<String> usedBy, boolean hasChildren) {

    public CachedImage {
        usedBy = List.copyOf(usedBy);
    }
}
