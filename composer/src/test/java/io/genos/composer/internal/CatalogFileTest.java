package io.genos.composer.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.genos.spec.catalog.Catalog;
import org.junit.jupiter.api.Test;

class CatalogFileTest {

    @Test
    void readsTheSameImagesAsTheSpecModulesCatalog() {
        assertThat(CatalogFile.builtIn().images()).isEqualTo(Catalog.builtIn().images()).isNotEmpty();
    }

    @Test
    void refusesBrokenJsonWithItsOffset() {
        assertThatThrownBy(() -> CatalogFile.parse("{\"images\": [")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("offset");
    }
}
