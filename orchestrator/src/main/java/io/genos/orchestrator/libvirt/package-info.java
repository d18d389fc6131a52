/**
 * The libvirt adapter: {@link io.genos.orchestrator.libvirt.LibvirtRuntime} runs VM environments as QEMU domains on
 * a libvirtd ({@code qemu:///system} by default), each on a copy-on-write qcow2 overlay of a catalog base image,
 * with a password-protected VNC display on 127.0.0.1, a serial console logged to a file, and GenOS metadata in the
 * domain XML (product, environment id, owner, image, acceleration) by which every domain is found and cleaned up.
 * Whether KVM works is found out once by booting a throwaway domain; otherwise VMs run under TCG (software
 * emulation). Snapshots are internal qcow2 snapshots of the overlay (memory and disk while running); VMs with egress
 * open sit on the shared NAT network {@code genos-nat}, the others have no network device. The Spring bean is only created when {@code genos.orchestrator.libvirt.enabled=true}.
 */
package io.genos.orchestrator.libvirt;
