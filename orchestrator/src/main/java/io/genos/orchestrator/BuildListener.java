package io.genos.orchestrator;

/** Told how the composition of an environment's image goes: progress, and each layer when it is ready. */
public interface BuildListener {

    BuildListener NONE = new BuildListener() {
        @Override
        public void progress(BuildProgress progress) {}

        @Override
        public void layerReady(String layerName, String image, boolean fromCache, String log) {}
    };

    void progress(BuildProgress progress);

    /**
     * A layer is there.
     *
     * @param image the layer's image (e.g. {@code genos-composed:3f2a…})
     * @param fromCache whether it was there already (built by an earlier launch)
     * @param log the end of its build log (empty when it came from the cache)
     */
    void layerReady(String layerName, String image, boolean fromCache, String log);

    /** The image a launch starts from was pulled from its registry (the progress said how it went). */
    default void pulled(String reference) {}

    /** A layer could not be built; the exception that follows says why. */
    default void layerFailed(String layerName, String log) {}
}
