package io.genos.orchestrator.libvirt;

import static org.assertj.core.api.Assertions.assertThat;

import io.genos.spec.catalog.Catalog;
import io.genos.spec.catalog.CatalogImage;
import org.junit.jupiter.api.Test;

class CatalogVmEntryTest {

    @Test
    void theBuiltInCatalogsTinyVmIsTheImageTheTestsBoot() {
        Catalog catalog = Catalog.builtIn();

        CatalogImage tiny = catalog.find("debian-tiny-vm").orElseThrow();

        assertThat(tiny).usingRecursiveComparison().ignoringFields("description").isEqualTo(TinyVm.image());
    }
}
