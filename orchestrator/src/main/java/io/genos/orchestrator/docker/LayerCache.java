package io.genos.orchestrator.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Image;
import io.genos.orchestrator.CachedImage;
import io.genos.orchestrator.EnvironmentRuntime;
import io.genos.orchestrator.InvalidRequestException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The composed layers on this Docker host: what they are, their size, who runs from them; removal and sweeping. */
final class LayerCache {

    private final DockerClient docker;
    private final java.time.Duration buildTimeout;

    /** @param buildTimeout a build container or temporary image older than this belongs to no running build */
    LayerCache(DockerClient docker, java.time.Duration buildTimeout) {
        this.docker = docker;
        this.buildTimeout = buildTimeout;
    }

    List<CachedImage> list() {
        List<Image> all = docker.listImagesCmd().withShowAll(true).exec();
        Map<String, Long> sizes = new HashMap<>();
        Map<String, Boolean> hasChildren = new HashMap<>();
        for (Image i : all) {
            sizes.put(i.getId(), i.getSize() == null ? 0 : i.getSize());
            if (i.getParentId() != null && !i.getParentId().isEmpty()) {
                hasChildren.put(i.getParentId(), true);
            }
        }
        Map<String, List<String>> users = new HashMap<>();
        for (Container c : docker.listContainersCmd().withShowAll(true).exec()) {
            String env = c.getLabels() == null ? null : c.getLabels().get(EnvironmentRuntime.LABEL_ENVIRONMENT);
            if (env != null) {
                users.computeIfAbsent(c.getImageId(), k -> new ArrayList<>()).add(env);
            }
        }
        List<CachedImage> layers = new ArrayList<>();
        for (Image i : all) {
            Map<String, String> labels = i.getLabels() == null ? Map.of() : i.getLabels();
            String kind = labels.get(ImageComposer.LABEL_LAYER);
            String ref = ref(i);
            if (kind == null || ref == null) {
                continue;
            }
            // snapshots of environments running composed images inherit these labels: they are not layers
            if (labels.containsKey(EnvironmentRuntime.LABEL_ENVIRONMENT)) {
                continue;
            }
            String parent = labels.getOrDefault(ImageComposer.LABEL_LAYER_PARENT, "");
            long size = sizes.getOrDefault(i.getId(), 0L) - sizes.getOrDefault(parent, 0L);
            String contents = kind.equals("desktop")
                    ? labels.getOrDefault(ImageComposer.LABEL_LAYER_DESKTOP, "?").toUpperCase(java.util.Locale.ROOT) + " desktop"
                    : labels.getOrDefault(ImageComposer.LABEL_LAYER_PACKAGES, "");
            Instant built;
            try {
                built = Instant.parse(labels.getOrDefault(ImageComposer.LABEL_LAYER_BUILT_AT, ""));
            } catch (RuntimeException e) {
                built = Instant.ofEpochSecond(i.getCreated() == null ? 0 : i.getCreated());
            }
            layers.add(new CachedImage(ref, i.getId(), parent, kind, contents, Math.max(0, size), built,
                    users.getOrDefault(i.getId(), List.of()), hasChildren.getOrDefault(i.getId(), false)));
        }
        return layers;
    }

    private static String ref(Image i) {
        if (i.getRepoTags() == null) {
            return null;
        }
        for (String t : i.getRepoTags()) {
            if (t.startsWith(ImageComposer.REPOSITORY + ":")) {
                return t;
            }
        }
        return null;
    }

    void remove(String ref) {
        if (ref == null || !ref.matches(ImageComposer.REPOSITORY + ":[0-9a-f]{8,64}")) {
            throw new InvalidRequestException("\"" + ref + "\" is not a composed image");
        }
        CachedImage image = list().stream().filter(c -> c.ref().equals(ref)).findFirst()
                .orElseThrow(() -> new InvalidRequestException("there is no composed image " + ref));
        if (!image.usedBy().isEmpty()) {
            throw new InvalidRequestException(ref + " is in use by " + image.usedBy().size() + " environment"
                    + (image.usedBy().size() == 1 ? "" : "s") + ": destroy " + (image.usedBy().size() == 1 ? "it" : "them")
                    + " first");
        }
        if (image.hasChildren()) {
            throw new InvalidRequestException(ref + " has images built on it (a layer above it or a snapshot): "
                    + "remove those first");
        }
        try {
            docker.removeImageCmd(ref).withForce(false).exec();
        } catch (ConflictException e) {
            throw new InvalidRequestException(ref + " is in use: " + e.getMessage());
        } catch (NotFoundException e) {
            // gone already
        }
    }

    /**
     * Removes layer build containers and temporary tags that an interrupted build left: those older than the build
     * timeout (a younger one may belong to a build another GenOS process on this host is running).
     */
    List<String> sweep() {
        List<String> removed = new ArrayList<>();
        long cutoff = Instant.now().minus(buildTimeout).plusSeconds(-60).getEpochSecond();
        for (Container c : docker.listContainersCmd().withShowAll(true)
                .withLabelFilter(List.of(ImageComposer.LABEL_LAYER_BUILD)).exec()) {
            // checked here too: what is removed by force is never left to a daemon-side filter alone
            if (c.getLabels() == null || !c.getLabels().containsKey(ImageComposer.LABEL_LAYER_BUILD)
                    || c.getCreated() != null && c.getCreated() > cutoff) {
                continue;
            }
            try {
                docker.removeContainerCmd(c.getId()).withForce(true).exec();
                removed.add("layer build container " + c.getId().substring(0, 12));
            } catch (NotFoundException e) {
                // gone already
            }
        }
        for (Image i : docker.listImagesCmd().withImageNameFilter(ImageComposer.REPOSITORY + "-tmp").exec()) {
            if (i.getCreated() != null && i.getCreated() > cutoff) {
                continue;
            }
            for (String t : i.getRepoTags() == null ? new String[0] : i.getRepoTags()) {
                if (!t.startsWith(ImageComposer.REPOSITORY + "-tmp:")) {
                    continue;
                }
                try {
                    docker.removeImageCmd(t).exec();
                    removed.add("temporary image " + t);
                } catch (NotFoundException | ConflictException e) {
                    // gone, or in use by a build that is running now
                }
            }
        }
        return removed;
    }
}
