package io.genos.portal.images;

import io.genos.spec.Desktop;
import io.genos.spec.Kind;
import io.genos.spec.Streaming.Protocol;

/**
 * What an admin types to register an image: a VM's qcow2 on this host, or a container image in a registry.
 *
 * @param kind vm or container
 * @param id catalog id, a DNS label, unique in the catalog
 * @param family OS family, e.g. {@code windows}
 * @param distro distribution, e.g. {@code windows}
 * @param version e.g. {@code 11}; may be empty
 * @param desktop the desktop it runs
 * @param protocol the display protocol the image speaks
 * @param path for a VM: absolute path of a standalone qcow2 on this host; for a container: its image reference
 *     ({@code registry.example.org/team/ubuntu:24.04}), pulled from its registry when it is first launched
 * @param rdpUsername for RDP: the guest's user to sign in as
 * @param rdpPassword for RDP: that user's password, stored with the image; may be empty
 * @param cpus default CPUs
 * @param memoryMiB default memory
 * @param diskGiB default disk; {@code null} = the qcow2's own size
 * @param description one line for people; may be empty
 */
public record ImageForm(Kind kind, String id, String family, String distro, String version, Desktop desktop, Protocol protocol,
        String path, String rdpUsername, String rdpPassword, Integer cpus, Integer memoryMiB, Integer diskGiB,
        String description) {}
