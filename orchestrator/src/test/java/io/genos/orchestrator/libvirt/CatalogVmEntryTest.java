package io.genos.orchestrator.libvirt;

import static org.assertj.core.api.Assertions.assertThat;

import io.genos.spec.catalog.Catalog;
import io.genos.spec.catalog.CatalogImage;
import org.junit.jupiter.api.Test;

class CatalogVmEntryTest {

    @Test
    void theTinyVmsCatalogEntryReadsAsTheImageTheTestsBoot() throws Exception {
        Catalog catalog = Catalog.load(TinyVm.repositoryRoot().resolve("vm-images/vm/catalog-vm.json"));

        CatalogImage tiny = catalog.find("debian-tiny-vm").orElseThrow();

        assertThat(tiny).usingRecursiveComparison().ignoringFields("description").isEqualTo(TinyVm.image());
    }
}
