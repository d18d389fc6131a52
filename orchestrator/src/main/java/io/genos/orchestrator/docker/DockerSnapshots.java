package io.genos.orchestrator.docker;

import static io.genos.orchestrator.EnvironmentRuntime.LABEL_ENVIRONMENT;
import static io.genos.orchestrator.EnvironmentRuntime.LABEL_INSTALLATION;
import static io.genos.orchestrator.EnvironmentRuntime.LABEL_OWNER;
import static io.genos.orchestrator.EnvironmentRuntime.LABEL_PRODUCT;
import static io.genos.orchestrator.EnvironmentRuntime.PRODUCT;
import static io.genos.orchestrator.docker.DockerRuntime.LABEL_DISPLAY_PORT;
import static io.genos.orchestrator.docker.DockerRuntime.containerName;
import static io.genos.orchestrator.docker.DockerRuntime.ref;
import static io.genos.orchestrator.docker.DockerRuntime.refused;
import static io.genos.orchestrator.docker.DockerRuntime.unavailable;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.Image;
import io.genos.orchestrator.InvalidRequestException;
import io.genos.orchestrator.RuntimeFailureException;
import io.genos.orchestrator.RuntimeHandle;
import io.genos.orchestrator.RuntimeRequest;
import io.genos.orchestrator.Snapshot;
import io.genos.orchestrator.SnapshotNotFoundException;
import io.genos.spec.Kind;
import io.genos.spec.catalog.CatalogImage;
import io.genos.spec.catalog.Resolution;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The snapshot side of {@link DockerRuntime}: snapshots are images. A snapshot commits the container into
 * {@code genos-snapshot/<id>:<name>}, a revert replaces the container by one created from it, a restore gives a new
 * environment its own {@code genos-base/<new-id>:latest} built {@code FROM} it, and {@link #removeImages} removes an
 * environment's images when it is destroyed. Containers are created, started and stopped through the runtime.
 */
final class DockerSnapshots {
    /** The runtime's logger, so that these messages are logged as before the split. */
    private static final Logger log = LoggerFactory.getLogger(DockerRuntime.class);
    /** Snapshot images are {@code genos-snapshot/<environment-id>:<snapshot-name>}. */
    static final String SNAPSHOT_REPOSITORY = "genos-snapshot/";
    /** The image an environment runs from when it is not the catalog's: {@code genos-base/<environment-id>:latest}. */
    static final String BASE_REPOSITORY = "genos-base/";
    static final String LABEL_SNAPSHOT = "io.genos.snapshot";
    static final String LABEL_SNAPSHOT_CREATED = "io.genos.snapshot.created-at";
    static final String LABEL_SNAPSHOT_DESCRIPTION = "io.genos.snapshot.description";
    static final String LABEL_RESTORED_FROM = "io.genos.restored-from";

    private final DockerClient docker;
    private final DockerRuntime runtime;

    DockerSnapshots(DockerClient docker, DockerRuntime runtime) {
        this.docker = docker;
        this.runtime = runtime;
    }

    /**
     * Commits the container (running or stopped; a running one is paused for the commit) into the image
     * {@code genos-snapshot/<environment-id>:<name>}, labelled as GenOS's and this environment's, with the
     * snapshot's name, creation time and description. Only the container's filesystem is kept: not its memory, not
     * its tmpfs {@code /tmp}. The image's config also keeps the container's environment variables, its display
     * password among them, as the container does.
     */
    Snapshot snapshot(RuntimeHandle handle, String name, String description) {
        Snapshot.checkName(name);
        String id = handle.environmentId();
        if (snapshotImage(id, name).isPresent()) {
            throw new InvalidRequestException("environment " + id + " already has a snapshot named \"" + name + "\"");
        }
        try {
            Map<String, String> current = docker.inspectContainerCmd(ref(handle)).exec().getConfig().getLabels();
            Instant created = Instant.now();
            Map<String, String> labels = new LinkedHashMap<>();
            labels.put(LABEL_PRODUCT, PRODUCT);
            labels.put(LABEL_ENVIRONMENT, id);
            for (String copied : List.of(LABEL_OWNER, LABEL_INSTALLATION)) {
                if (current != null && current.get(copied) != null) {
                    labels.put(copied, current.get(copied));
                }
            }
            labels.put(LABEL_SNAPSHOT, name);
            labels.put(LABEL_SNAPSHOT_CREATED, created.toString());
            labels.put(LABEL_SNAPSHOT_DESCRIPTION, description == null ? "" : description);
            docker.commitCmd(ref(handle)).withRepository(snapshotRepository(id)).withTag(name).withLabels(labels)
                    .withPause(true).exec();
            return new Snapshot(name, created.truncatedTo(ChronoUnit.SECONDS), description);
        } catch (DockerException e) {
            throw refused("save the snapshot " + name, e);
        } catch (RuntimeException e) {
            throw unavailable("save the snapshot " + name, e);
        }
    }

    /** The environment's snapshot images, oldest first. */
    List<Snapshot> snapshots(RuntimeHandle handle) {
        String prefix = snapshotRepository(handle.environmentId()) + ":";
        List<Map.Entry<Instant, Snapshot>> found = new ArrayList<>();
        for (Image image : images(handle.environmentId())) {
            Map<String, String> labels = image.getLabels() == null ? Map.of() : image.getLabels();
            Instant created;
            try {
                created = Instant.parse(labels.getOrDefault(LABEL_SNAPSHOT_CREATED, ""));
            } catch (java.time.format.DateTimeParseException noLabel) {
                created = Instant.ofEpochSecond(image.getCreated() == null ? 0 : image.getCreated());
            }
            String description = labels.get(LABEL_SNAPSHOT_DESCRIPTION);
            for (String tag : tags(image)) {
                if (tag.startsWith(prefix)) {
                    found.add(Map.entry(created, new Snapshot(tag.substring(prefix.length()),
                            created.truncatedTo(ChronoUnit.SECONDS),
                            description == null || description.isEmpty() ? null : description)));
                }
            }
        }
        return found.stream().sorted(Map.Entry.<Instant, Snapshot>comparingByKey()
                .thenComparing(e -> e.getValue().name())).map(Map.Entry::getValue).toList();
    }

    /**
     * Replaces the container by a new one created from the snapshot image with the old one's configuration (limits,
     * labels, environment, network, published ports on 127.0.0.1 with new host ports), started if the old one ran.
     * The new container is created before the old one is removed: on failure the old one is renamed back (and
     * started again if it ran), so the environment is never left without a container; a new one that does not start
     * is handed back stopped (the caller sees it not running). The snapshot image is also
     * tagged {@code genos-base/<environment-id>:latest} (the image the environment now runs from), so that deleting
     * the snapshot later only removes its name.
     */
    RuntimeHandle revert(RuntimeHandle handle, String name) {
        String id = handle.environmentId();
        String image = snapshotImage(id, name).orElseThrow(() -> new SnapshotNotFoundException(id, name));
        InspectContainerResponse old;
        try {
            old = docker.inspectContainerCmd(ref(handle)).exec();
        } catch (DockerException e) {
            throw refused("inspect the container", e);
        } catch (RuntimeException e) {
            throw unavailable("inspect the container", e);
        }
        boolean wasRunning = Boolean.TRUE.equals(old.getState().getRunning());
        if (wasRunning) {
            runtime.stop(handle);
        }
        String replaced = containerName(id) + "-replaced-" + System.currentTimeMillis();
        String created;
        try {
            docker.renameContainerCmd(old.getId()).withName(replaced).exec();
        } catch (RuntimeException e) {
            restart(handle, wasRunning);
            throw e instanceof DockerException de ? refused("rename the container", de) : unavailable("rename the container", e);
        }
        try {
            created = docker.createContainerCmd(image)
                    .withName(containerName(id))
                    .withHostName(old.getConfig().getHostName())
                    .withLabels(old.getConfig().getLabels())
                    .withEnv(old.getConfig().getEnv())
                    .withExposedPorts(old.getConfig().getExposedPorts() == null ? new ExposedPort[0]
                            : old.getConfig().getExposedPorts())
                    .withHostConfig(old.getHostConfig())
                    .exec().getId();
        } catch (RuntimeException e) {
            try {
                docker.renameContainerCmd(old.getId()).withName(containerName(id)).exec();
            } catch (RuntimeException renameBack) {
                log.warn("could not rename {} back to {}: {}", old.getId(), containerName(id), renameBack.toString());
            }
            restart(handle, wasRunning);
            throw e instanceof DockerException de ? refused("create the container from the snapshot " + name, de)
                    : unavailable("create the container from the snapshot " + name, e);
        }
        try {
            docker.removeContainerCmd(old.getId()).withForce(true).withRemoveVolumes(true).exec();
        } catch (RuntimeException e) {
            log.warn("could not remove the replaced container {} of {} (destroy removes it): {}", old.getId(), id,
                    e.toString());
        }
        retagBase(id, image);
        RuntimeHandle next = new RuntimeHandle(id, created);
        if (wasRunning) {
            try {
                runtime.start(next);
            } catch (RuntimeFailureException e) {
                // the new container exists and is the environment's now: hand it back stopped rather than lose it
                log.warn("the container of {} reverted to {} did not start: {}", id, name, e.getMessage());
            }
        }
        return next;
    }

    private void restart(RuntimeHandle handle, boolean wasRunning) {
        if (wasRunning) {
            try {
                runtime.start(handle);
            } catch (RuntimeException e) {
                log.warn("could not start {} again after a failed revert: {}", handle, e.toString());
            }
        }
    }

    /** Points {@code genos-base/<id>:latest} at this image; the image it pointed at before goes if nothing needs it. */
    private void retagBase(String id, String image) {
        String base = BASE_REPOSITORY + id;
        try {
            String previous = null;
            try {
                previous = docker.inspectImageCmd(base + ":latest").exec().getId();
            } catch (NotFoundException none) {
                // the first revert: the container ran from the catalog's image, which stays
            }
            docker.tagImageCmd(image, base, "latest").withForce(true).exec();
            if (previous != null && !previous.equals(image)) {
                removeIfUntagged(previous);
            }
        } catch (RuntimeException e) {
            log.warn("could not tag {} as the base of {}: {}", image, id, e.toString());
        }
    }

    private void removeIfUntagged(String imageId) {
        try {
            List<String> tags = docker.inspectImageCmd(imageId).exec().getRepoTags();
            if (tags == null || tags.isEmpty()) {
                docker.removeImageCmd(imageId).exec();
            }
        } catch (NotFoundException gone) {
            // already removed
        } catch (RuntimeException inUse) {
            // a container or a child image still needs it: Docker removes it with its last child
            log.debug("kept image {}: {}", imageId, inUse.toString());
        }
    }

    /** Removes the snapshot's name; its image goes unless the container runs from it or an environment was restored from it. */
    void deleteSnapshot(RuntimeHandle handle, String name) {
        String id = handle.environmentId();
        snapshotImage(id, name).orElseThrow(() -> new SnapshotNotFoundException(id, name));
        try {
            docker.removeImageCmd(snapshotRepository(id) + ":" + name).exec();
        } catch (NotFoundException gone) {
            throw new SnapshotNotFoundException(id, name);
        } catch (DockerException e) {
            throw refused("delete the snapshot " + name, e);
        } catch (RuntimeException e) {
            throw unavailable("delete the snapshot " + name, e);
        }
    }

    /**
     * Creates the new environment's container from the source's snapshot. The new environment gets an image of its
     * own, {@code genos-base/<new-id>:latest}, built {@code FROM} the snapshot image with the new environment's
     * labels (no layer is copied): destroying the source or deleting the snapshot only removes their names, Docker
     * keeps the snapshot's layers while the new image needs them, and destroying the new environment removes its
     * image (and the snapshot's layers if nothing else needs them).
     */
    RuntimeHandle createFromSnapshot(RuntimeHandle source, String snapshotName, RuntimeRequest request) {
        String snapshot = snapshotImage(source.environmentId(), snapshotName)
                .orElseThrow(() -> new SnapshotNotFoundException(source.environmentId(), snapshotName));
        String id = request.environmentId();
        String base = BASE_REPOSITORY + id + ":latest";
        try {
            Map<String, String> snapshotLabels = docker.inspectImageCmd(snapshot).exec().getConfig().getLabels();
            int displayPort = Integer.parseInt(snapshotLabels == null ? "5901"
                    : snapshotLabels.getOrDefault(LABEL_DISPLAY_PORT, "5901"));
            Map<String, String> labels = new LinkedHashMap<>();
            labels.put(LABEL_PRODUCT, PRODUCT);
            labels.put(LABEL_ENVIRONMENT, id);
            labels.put(LABEL_OWNER, request.owner());
            labels.put(LABEL_INSTALLATION, request.labels().getOrDefault(LABEL_INSTALLATION, ""));
            labels.put(LABEL_SNAPSHOT, "");
            labels.put(LABEL_RESTORED_FROM, source.environmentId() + ":" + snapshotName);
            java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("genos-restore-");
            try {
                java.nio.file.Path dockerfile = dir.resolve("Dockerfile");
                java.nio.file.Files.writeString(dockerfile, "FROM " + snapshotRepository(source.environmentId()) + ":"
                        + snapshotName + "\n");
                docker.buildImageCmd().withBaseDirectory(dir.toFile()).withDockerfile(dockerfile.toFile())
                        .withTags(java.util.Set.of(base)).withLabels(labels).withPull(false).withRemove(true)
                        .exec(new com.github.dockerjava.api.command.BuildImageResultCallback())
                        .awaitImageId(2, TimeUnit.MINUTES);
            } finally {
                java.nio.file.Files.deleteIfExists(dir.resolve("Dockerfile"));
                java.nio.file.Files.deleteIfExists(dir);
            }
            CatalogImage from = request.resolution().image();
            CatalogImage image = new CatalogImage(from.id(), Kind.CONTAINER, from.os(), from.desktop(),
                    from.protocols(), from.defaults(), from.packages(), base, displayPort,
                    "snapshot " + snapshotName + " of environment " + source.environmentId());
            Resolution resolution = request.resolution();
            return runtime.create(request.withResolution(new Resolution(resolution.spec(), image,
                    resolution.warnings())));
        } catch (RuntimeException | java.io.IOException e) {
            try {
                removeImages(id);
            } catch (RuntimeException cleanup) {
                log.warn("could not remove the image of {} after its restore failed: {}", id, cleanup.toString());
            }
            if (e instanceof RuntimeFailureException || e instanceof InvalidRequestException) {
                throw (RuntimeException) e;
            }
            throw e instanceof DockerException de ? refused("restore the snapshot " + snapshotName, de)
                    : new RuntimeFailureException("could not restore the snapshot " + snapshotName + ": "
                            + e.getMessage(), e);
        }
    }

    /** The environments that have images named {@code genos-snapshot/<id>:*} or {@code genos-base/<id>:*}. */
    Map<String, String> storedByEnvironment() {
        Map<String, String> found = new HashMap<>();
        try {
            for (Image image : docker.listImagesCmd().withLabelFilter(Map.of(LABEL_PRODUCT, PRODUCT)).exec()) {
                Map<String, String> labels = image.getLabels() == null ? Map.of() : image.getLabels();
                String id = labels.get(LABEL_ENVIRONMENT);
                if (id != null && tags(image).stream().anyMatch(t -> t.startsWith(snapshotRepository(id) + ":")
                        || t.startsWith(BASE_REPOSITORY + id + ":"))) {
                    found.put(id, labels.getOrDefault(LABEL_INSTALLATION, ""));
                }
            }
            return found;
        } catch (DockerException e) {
            throw refused("list the images", e);
        } catch (RuntimeException e) {
            throw unavailable("list the images", e);
        }
    }

    /** The image id of the environment's snapshot of this name, if it has one. */
    private Optional<String> snapshotImage(String environmentId, String name) {
        String tag = snapshotRepository(environmentId) + ":" + name;
        for (Image image : images(environmentId)) {
            if (tags(image).contains(tag)) {
                return Optional.of(image.getId());
            }
        }
        return Optional.empty();
    }

    /** The images labelled as this environment's (snapshots, and the image it runs from when not the catalog's). */
    private List<Image> images(String environmentId) {
        try {
            return docker.listImagesCmd()
                    .withLabelFilter(Map.of(LABEL_PRODUCT, PRODUCT, LABEL_ENVIRONMENT, environmentId)).exec();
        } catch (DockerException e) {
            throw refused("list the snapshots", e);
        } catch (RuntimeException e) {
            throw unavailable("list the snapshots", e);
        }
    }

    private static List<String> tags(Image image) {
        return image.getRepoTags() == null ? List.of()
                : java.util.Arrays.stream(image.getRepoTags()).filter(t -> !t.startsWith("<none>")).toList();
    }

    /**
     * Removes the environment's images by their names ({@code genos-snapshot/<id>:*}, {@code genos-base/<id>:*}) and
     * untagged ones labelled with it. An image another environment was restored from loses its name but stays as the
     * parent of that environment's image until that one is removed.
     */
    void removeImages(String environmentId) {
        for (Image image : images(environmentId)) {
            List<String> ours = tags(image).stream().filter(t -> t.startsWith(snapshotRepository(environmentId) + ":")
                    || t.startsWith(BASE_REPOSITORY + environmentId + ":")).toList();
            for (String tag : ours) {
                try {
                    docker.removeImageCmd(tag).exec();
                } catch (NotFoundException gone) {
                    // already removed
                } catch (com.github.dockerjava.api.exception.ConflictException inUse) {
                    // not expected (containers go first); the image keeps its labels, so a later sweep finds it
                    log.warn("could not remove the image {} of {}: {}", tag, environmentId, inUse.getMessage());
                }
            }
            if (tags(image).isEmpty()) {
                removeIfUntagged(image.getId());
            }
        }
    }

    static String snapshotRepository(String environmentId) {
        return SNAPSHOT_REPOSITORY + environmentId;
    }
}
