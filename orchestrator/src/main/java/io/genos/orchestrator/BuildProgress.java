package io.genos.orchestrator;

import java.time.Duration;

/**
 * How far the build of one image layer is, as apt reports it.
 *
 * @param layer 1-based number of the layer being built
 * @param layers how many layers this launch builds
 * @param layerName the layer as a person reads it: "the KDE desktop"
 * @param phase what apt does now: "waiting", "reading the package lists", "downloading", "installing", "saving"; or,
 *     while an image is pulled from its registry (its reference is then {@code layerName}), "pulling: downloading",
 *     "pulling: unpacking", "pulled"
 * @param done packages downloaded (downloading) or set up (installing) so far; MiB downloaded while pulling
 * @param total packages apt installs in this layer, 0 until it has said; MiB to download while pulling
 * @param percent apt's own percentage of the phase, -1 when it has not said
 * @param elapsed since the layer's build began
 */
public record BuildProgress(int layer, int layers, String layerName, String phase, int done, int total, int percent,
        Duration elapsed) {

    /** "building the KDE desktop (layer 1 of 2): installing 143 of 713 packages, 23 %, 41 s". */
    public String describe() {
        if (pulling()) {
            StringBuilder sb = new StringBuilder(phase.startsWith("pulled") ? "pulled " : "pulling ").append(layerName)
                    .append(" from its registry");
            if (phase.startsWith("pulling: ")) {
                sb.append(": ").append(phase.substring("pulling: ".length()));
            }
            if (total > 0) {
                sb.append(", ").append(done).append(" of ").append(total).append(" MB");
            }
            if (percent >= 0) {
                sb.append(", ").append(percent).append(" %");
            }
            return sb.append(", ").append(elapsed.toSeconds()).append(" s").toString();
        }
        StringBuilder sb = new StringBuilder("building ").append(layerName);
        if (layers > 1) {
            sb.append(" (layer ").append(layer).append(" of ").append(layers).append(')');
        }
        sb.append(": ").append(phase);
        if (total > 0 && ("downloading".equals(phase) || "installing".equals(phase))) {
            sb.append(' ').append(done).append(" of ").append(total).append(" packages");
        }
        if (percent >= 0) {
            sb.append(", ").append(percent).append(" %");
        }
        return sb.append(", ").append(elapsed.toSeconds()).append(" s").toString();
    }

    /** Whether this is an image being pulled from its registry rather than a layer being built. */
    public boolean pulling() {
        return phase.startsWith("pull");
    }

    /** A share of the whole composition, 0..100, for a progress bar. */
    public int overallPercent() {
        int within = switch (phase) {
            case "downloading" -> Math.max(0, percent) * 4 / 10;
            case "installing" -> 40 + Math.max(0, percent) * 55 / 100;
            case "saving" -> 97;
            default -> Math.max(0, percent); // a build that reports its own overall percentage (a VM image's)
        };
        return ((layer - 1) * 100 + within) / Math.max(1, layers);
    }
}
