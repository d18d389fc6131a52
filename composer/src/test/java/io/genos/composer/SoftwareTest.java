package io.genos.composer;

import static io.genos.composer.Compose.spec;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SoftwareTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "a box with python | python3",
            "node.js container | nodejs",
            "node js and express.js | nodejs",
            "postgres on debian | postgresql",
            "PostgreSQL 16 server | postgresql",
            "java 17 box | openjdk-17-jdk",
            "a JDK 21 container | openjdk-21-jdk",
            "java container | default-jdk",
            "redis and memcached | redis-server",
            "docker-compose environment | docker-compose",
            "a box with docker | docker.io",
            "firefox please, debian | firefox-esr",
            "VS Code on a desktop | code",
            "rust toolchain | cargo",
            "install golang | golang",
            "written in go, debian box | golang",
            "a c++ dev box | g++",
            "sqlite3 shell | sqlite3",
            "scikit-learn and numpy box | python3-sklearn",
            "firefox-esr and python3-requests on debian | python3-requests",
            "libssl-dev and build-essential, debian | libssl-dev",
            "vim, emacs and nano on alpine | nano",
            "a latex box | texlive",
            "data science workstation | python3-pandas",
            "web development box | npm",
            "mariadb container | mariadb-server"})
    void mapsSoftwareToDebianPackages(String request, String pkg) {
        assertThat(spec(request).packages()).contains(pkg);
    }

    @Test
    void commonWordsAreNotSoftwareOutsideALists() {
        assertThat(spec("let's go with a debian box").packagesOrEmpty()).doesNotContain("golang");
        assertThat(spec("make it a debian box with less memory").packagesOrEmpty())
                .doesNotContain("make", "less");
        assertThat(spec("debian box on top of everything").packagesOrEmpty()).doesNotContain("procps");
    }

    @Test
    void negatedSoftwareIsLeftOut() {
        var s = spec("xfce desktop with chromium but without firefox and thunderbird");
        assertThat(s.packages()).contains("chromium").doesNotContain("firefox-esr", "thunderbird");
    }

    @Test
    void versionsOtherThanJavasAreNoted() {
        assertThat(spec("node 20 box").notes()).contains("nodejs").contains("20");
    }

    @Test
    void packagesAreUnique() {
        assertThat(spec("python, python3 and pip with python").packages()).doesNotHaveDuplicates();
    }
}
