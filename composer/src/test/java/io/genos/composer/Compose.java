package io.genos.composer;

import io.genos.spec.EnvironmentSpec;
import java.util.List;

/** Shared by the tests: one composer (it is stateless), and short ways to ask it. */
final class Compose {
    static final OfflineComposer COMPOSER = new OfflineComposer();

    private Compose() {}

    static ComposeResult result(String... turns) {
        return COMPOSER.compose(List.of(turns));
    }

    static EnvironmentSpec spec(String... turns) {
        return result(turns).spec();
    }
}
