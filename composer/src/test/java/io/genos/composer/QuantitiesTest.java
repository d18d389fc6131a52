package io.genos.composer;

import static io.genos.composer.Compose.spec;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class QuantitiesTest {

    @ParameterizedTest(name = "{0} -> {1} MiB")
    @CsvSource(delimiter = '|', value = {
            "a box with 4 GB of RAM | 4096",
            "debian with 8G memory | 8192",
            "container, 4096M ram | 4096",
            "give me 16 gigs | 16384",
            "half a gig of memory, alpine | 512",
            "1.5 GB memory please | 1536",
            "2 GiB RAM box | 2048",
            "two and a half gigabytes of ram, debian | 2560",
            "RAM: 12 GB, debian | 12288",
            "memory = 3 gb on ubuntu | 3072",
            "a terabyte of RAM on a vm | 1048576",
            "768 MB memory container | 768",
            "six gigs of ram on fedora | 6144",
            "a couple of gigs of ram | 2048",
            "debian with 32GB | 32768"})
    void readsMemoryHoweverItIsWritten(String request, int mib) {
        assertThat(spec(request).resources().memoryMiB()).isEqualTo(mib);
    }

    @ParameterizedTest(name = "{0} -> {1} GiB")
    @CsvSource(delimiter = '|', value = {
            "vm with a 50 GB disk | 50",
            "100GB storage, debian | 100",
            "ubuntu box, disk: 40G | 40",
            "a quarter terabyte of storage | 256",
            "1.5 TB of disk space on a vm | 1536",
            "20 gigs of disk space, alpine | 20",
            "512 MB disk, debian | 1",
            "a 2 TiB SSD on a vm | 2048"})
    void readsDiskHoweverItIsWritten(String request, int gib) {
        assertThat(spec(request).resources().diskGiB()).isEqualTo(gib);
    }

    @Test
    void anUnlabelledSizeIsMemoryAndASecondOneIsDisk() {
        var r = spec("GNOME box, 3 vCPUs, 10GB, 120GB").resources();
        assertThat(r.memoryMiB()).isEqualTo(10240);
        assertThat(r.diskGiB()).isEqualTo(120);
        assertThat(r.cpus()).isEqualTo(3);
    }

    @Test
    void memoryAndDiskInOneSentenceAreToldApartByTheirNouns() {
        var r = spec("ubuntu VM, 200 GB storage and 24 GB memory").resources();
        assertThat(r.diskGiB()).isEqualTo(200);
        assertThat(r.memoryMiB()).isEqualTo(24576);
    }

    @ParameterizedTest(name = "{0} -> {1} CPUs")
    @CsvSource(delimiter = '|', value = {
            "quad-core debian box | 4",
            "dual core container | 2",
            "a single-core shell | 1",
            "octa core vm | 8",
            "6 vCPUs on ubuntu | 6",
            "12 threads please, debian | 12",
            "three cores and python | 3",
            "8-core workstation with gnome | 8",
            "cpus: 5, debian | 5",
            "4 virtual CPUs, fedora | 4",
            "twenty four cores on a vm | 24"})
    void readsCpuCountsInWordsDigitsAndAdjectives(String request, int cpus) {
        assertThat(spec(request).resources().cpus()).isEqualTo(cpus);
    }

    @ParameterizedTest(name = "{0} -> {1} GPUs")
    @CsvSource(delimiter = '|', value = {
            "a vm with a GPU | 1",
            "box with 2 GPUs | 2",
            "CUDA development box | 1",
            "three nvidia gpus on ubuntu | 3",
            "machine with a graphics card | 1"})
    void readsGpus(String request, int gpus) {
        assertThat(spec(request).resources().gpus()).isEqualTo(gpus);
    }

    @Test
    void aRequestWithoutGpusHasNone() {
        assertThat(spec("debian box with 2 cpus").resources().gpus()).isNull();
        assertThat(spec("debian box, no GPU needed").resources().gpus()).isNull();
    }

    @Test
    void versionsAndPortsAreNotMistakenForQuantities() {
        var s = spec("ubuntu 22.04 with python 3.12, expose port 8080, 2 cpus");
        assertThat(s.resources().cpus()).isEqualTo(2);
        assertThat(s.resources().memoryMiB()).isEqualTo(2048); // the catalog default, not 8080 or 22
        assertThat(s.network().ports()).containsExactly(8080);
    }

    @Test
    void hugeRequestsAreKeptAsAskedNeverClamped() {
        var r = Compose.result("an environment with 512 CPUs, 2 TB of memory and 9 GPUs");
        assertThat(r.spec().resources().cpus()).isEqualTo(512);
        assertThat(r.spec().resources().memoryMiB()).isEqualTo(2 * 1024 * 1024);
        assertThat(r.spec().resources().gpus()).isEqualTo(9);
        assertThat(r.violations()).extracting(v -> v.field())
                .contains("resources.cpus", "resources.memoryMiB", "resources.gpus");
    }

    @Test
    void missingCpusAndMemoryComeFromTheCatalogDefaultsAndAreNoted() {
        var s = spec("a debian box with 50 GB disk");
        assertThat(s.resources().cpus()).isEqualTo(2);
        assertThat(s.resources().memoryMiB()).isEqualTo(2048);
        assertThat(s.notes()).contains("2 CPUs").contains("defaults");
    }
}
