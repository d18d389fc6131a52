package io.genos.orchestrator.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.PullResponseItem;
import com.github.dockerjava.api.model.ResponseItem;
import io.genos.orchestrator.BuildListener;
import io.genos.orchestrator.BuildProgress;
import io.genos.orchestrator.RuntimeFailureException;
import io.genos.spec.catalog.ImageReference;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pulls a registered image that is not on the Docker host from its registry, telling how far it is (megabytes
 * downloaded of the layers' total, as dockerd reports them). Two launches of the same missing image share dockerd's one
 * pull. A pull that fails or takes longer than the build timeout fails the launch with the registry's own words.
 */
final class ImagePuller {
    private static final Logger log = LoggerFactory.getLogger(ImagePuller.class);
    /** dockerd reports each layer many times a second; the listener hears at most this often. */
    private static final long NOTICE_NANOS = 250_000_000L;
    /** A registry may list any number of layers: beyond this many, the rest are not tracked one by one. */
    private static final int MAX_LAYERS = 1000;

    private final DockerClient docker;
    private final Duration timeout;

    ImagePuller(DockerClient docker, Duration timeout) {
        this.docker = docker;
        this.timeout = timeout;
    }

    /** Whether the image is on the Docker host. */
    boolean present(String reference) {
        try {
            docker.inspectImageCmd(reference).exec();
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }

    /** Pulls the image unless it is on the host already; returns whether it pulled. */
    boolean ensure(String reference, BuildListener listener) {
        if (present(reference)) {
            return false;
        }
        ImageReference ref;
        try {
            ref = ImageReference.parse(reference);
        } catch (IllegalArgumentException e) {
            throw new RuntimeFailureException("the image " + reference + " cannot be pulled: " + e.getMessage());
        }
        long started = System.nanoTime();
        Tally tally = new Tally(reference, started);
        listener.progress(tally.progress());
        ResultCallback.Adapter<PullResponseItem> callback = new ResultCallback.Adapter<>() {
            private long lastNotice;

            @Override
            public void onNext(PullResponseItem item) {
                boolean changed;
                synchronized (tally) {
                    changed = tally.add(item);
                }
                long now = System.nanoTime();
                if (changed && now - lastNotice > NOTICE_NANOS) {
                    lastNotice = now;
                    BuildProgress p;
                    synchronized (tally) {
                        p = tally.progress();
                    }
                    try {
                        listener.progress(p);
                    } catch (RuntimeException e) {
                        log.warn("a pull progress listener failed: {}", e.toString());
                    }
                }
            }
        };
        try {
            docker.pullImageCmd(ref.repository()).withTag(ref.tagOrDigest()).exec(callback);
            if (!callback.awaitCompletion(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new RuntimeFailureException("pulling " + reference + " took longer than " + timeout.toMinutes()
                        + " minutes (genos.orchestrator.build-timeout)");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RuntimeFailureException("GenOS stopped while " + reference + " was being pulled");
        } catch (RuntimeFailureException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new RuntimeFailureException("could not pull " + reference + " from its registry: "
                    + firstLine(e.getMessage()));
        } finally {
            try {
                callback.close();
            } catch (IOException e) {
                log.debug("closing the pull: {}", e.toString());
            }
        }
        String error;
        synchronized (tally) {
            error = tally.error;
        }
        if (error != null || !present(reference)) {
            throw new RuntimeFailureException("could not pull " + reference + " from its registry: "
                    + (error == null ? "dockerd did not say why" : error));
        }
        BuildProgress done;
        synchronized (tally) {
            done = tally.finished();
        }
        listener.progress(done);
        log.info("pulled {} in {} s", reference, done.elapsed().toSeconds());
        return true;
    }

    /** Bytes per layer as dockerd reports them. Not thread-safe: the caller holds its lock. */
    static final class Tally {
        private final String reference;
        private final long started;
        private final Map<String, long[]> layers = new HashMap<>();
        private String phase = "connecting to its registry";
        String error;

        Tally(String reference, long started) {
            this.reference = reference;
            this.started = started;
        }

        /** Takes one of dockerd's lines; says whether the figures changed. */
        boolean add(ResponseItem item) {
            if (item.isErrorIndicated()) {
                ResponseItem.ErrorDetail d = item.getErrorDetail();
                String message = d != null && d.getMessage() != null ? d.getMessage() : item.getError();
                error = message == null ? "the registry refused" : firstLine(message);
                return true;
            }
            String status = item.getStatus() == null ? "" : item.getStatus();
            String id = item.getId();
            if (id == null || status.startsWith("Pulling from") || status.startsWith("Digest")
                    || status.startsWith("Status")) {
                return false;
            }
            long[] bytes = layers.get(id);
            if (bytes == null) {
                if (layers.size() >= MAX_LAYERS) {
                    return false;
                }
                bytes = new long[] {0, 0, 0};
                layers.put(id, bytes);
            }
            ResponseItem.ProgressDetail p = item.getProgressDetail();
            switch (status) {
                case "Downloading" -> {
                    phase = "downloading";
                    if (p != null && p.getTotal() != null && p.getTotal() > 0) {
                        bytes[1] = p.getTotal();
                        bytes[0] = p.getCurrent() == null ? 0 : Math.min(p.getCurrent(), p.getTotal());
                    }
                }
                case "Download complete", "Verifying Checksum" -> bytes[0] = bytes[1];
                case "Extracting" -> {
                    phase = "unpacking";
                    bytes[0] = bytes[1];
                }
                case "Pull complete", "Already exists" -> {
                    bytes[0] = bytes[1];
                    bytes[2] = 1;
                }
                default -> {
                    return false;
                }
            }
            return true;
        }

        BuildProgress progress() {
            long done = 0;
            long total = 0;
            for (long[] b : layers.values()) {
                done += b[0];
                total += b[1];
            }
            int percent = total <= 0 ? -1 : (int) Math.min(100, done * 100 / total);
            return new BuildProgress(1, 1, reference, "pulling: " + phase, (int) (done >> 20), (int) (total >> 20),
                    percent, Duration.ofNanos(System.nanoTime() - started));
        }

        BuildProgress finished() {
            BuildProgress p = progress();
            return new BuildProgress(1, 1, reference, "pulled", p.done(), p.total(), 100, p.elapsed());
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        String line = (nl < 0 ? s : s.substring(0, nl)).strip();
        return line.length() > 300 ? line.substring(0, 299) + "…" : line;
    }
}
