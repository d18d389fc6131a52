package io.genos.orchestrator;

import com.github.dockerjava.api.DockerClient;
import io.genos.orchestrator.libvirt.LibvirtRuntime;
import java.util.List;
import java.util.Map;
import org.libvirt.Connect;
import org.libvirt.Domain;
import org.libvirt.LibvirtException;

/**
 * What integration tests run after each test: everything labelled with the test's own owner goes, whether the test
 * passed or not (its assertions already said what went wrong).
 */
public final class Leftovers {

    private Leftovers() {}

    /** Removes the GenOS containers and networks labelled with {@code owner}. */
    public static void removeContainersAndNetworks(DockerClient docker, String owner) {
        Map<String, String> mine = Map.of(EnvironmentRuntime.LABEL_PRODUCT, "genos", EnvironmentRuntime.LABEL_OWNER, owner);
        docker.listContainersCmd().withShowAll(true).withLabelFilter(mine).exec()
                .forEach(c -> docker.removeContainerCmd(c.getId()).withForce(true).exec());
        docker.listNetworksCmd().withFilter("label", List.of(EnvironmentRuntime.LABEL_OWNER + "=" + owner)).exec()
                .forEach(n -> docker.removeNetworkCmd(n.getId()).exec());
    }

    /** Powers off and undefines (snapshot metadata included) the libvirt domains whose GenOS owner is {@code owner}. */
    public static void removeDomains(String owner) throws LibvirtException {
        Connect libvirt = new Connect("qemu:///system");
        try {
            for (Domain d : libvirt.listAllDomains(0)) {
                if (owner.equals(LibvirtRuntime.labelsOf(d.getXMLDesc(0)).get(EnvironmentRuntime.LABEL_OWNER))) {
                    if (d.isActive() == 1) {
                        d.destroy();
                    }
                    d.undefine(Domain.UndefineFlags.SNAPSHOTS_METADATA);
                }
            }
        } finally {
            libvirt.close();
        }
    }
}
