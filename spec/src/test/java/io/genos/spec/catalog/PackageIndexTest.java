package io.genos.spec.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.StringReader;
import java.util.List;
import org.junit.jupiter.api.Test;

class PackageIndexTest {

    private static PackageIndex index() throws Exception {
        String tsv = """
                # name version installed-KiB
                htop\t3.2.2-2\t434
                gimp\t2.10.34-1\t20113
                gimp-data\t2.10.34-1\t60000
                nodejs\t18.19.0\t300
                python3\t3.11.2-1\t80
                python3-pip\t23.0.1\t7000
                git\t1:2.39.5-0\t44000
                tree\t2.1.0-1\t120
                not a package line
                """;
        return PackageIndex.read(new BufferedReader(new StringReader(tsv)));
    }

    @Test
    void knownNamesPassAndAddUpTheirSize() throws Exception {
        PackageIndex.Check c = index().check(List.of("htop", "gimp"));
        assertThat(c.ok()).isTrue();
        assertThat(c.installedKiB()).isEqualTo(434 + 20113);
        assertThat(index().size()).isEqualTo(8);
    }

    @Test
    void anUnknownNameIsListedWithTheClosestRealNames() throws Exception {
        PackageIndex.Check c = index().check(List.of("htop", "gimpp", "python", "node-js", "zzzzzz"));
        assertThat(c.unknown()).containsExactly("gimpp", "python", "node-js", "zzzzzz");
        assertThat(c.suggestions().get("gimpp")).first().isEqualTo("gimp");
        assertThat(c.suggestions().get("python")).contains("python3");
        assertThat(c.suggestions().get("node-js")).contains("nodejs");
        assertThat(c.suggestions().get("zzzzzz")).isEmpty();
        assertThat(c.describeUnknown()).contains("gimpp (did you mean gimp").contains("zzzzzz");
    }

    @Test
    void distanceStopsEarlyPastItsLimit() {
        assertThat(PackageIndex.distance("kitten", "sitting", 5)).isEqualTo(3);
        assertThat(PackageIndex.distance("abcdef", "uvwxyz", 2)).isEqualTo(3);
    }

    @Test
    void packageNamesFollowDebianPolicy() {
        assertThat(PackageNames.valid("g++")).isTrue();
        assertThat(PackageNames.valid("libc6.1-dev")).isTrue();
        assertThat(PackageNames.invalid(List.of("htop", "Htop", "x", "a;rm", "--yes", "a b", "$(id)")))
                .containsExactly("Htop", "x", "a;rm", "--yes", "a b", "$(id)");
    }
}
