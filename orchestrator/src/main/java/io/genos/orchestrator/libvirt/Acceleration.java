package io.genos.orchestrator.libvirt;

/** How QEMU runs a VM's CPU: hardware virtualisation (KVM) or software emulation (TCG). */
public enum Acceleration {
    /** Hardware virtualisation through /dev/kvm; libvirt domain type {@code kvm}. */
    KVM("kvm"),
    /** QEMU's software emulation, many times slower; libvirt domain type {@code qemu}. */
    TCG("qemu");

    private final String domainType;

    Acceleration(String domainType) {
        this.domainType = domainType;
    }

    /** The {@code type} attribute of a libvirt {@code <domain>}. */
    public String domainType() {
        return domainType;
    }

    /** The value of the label {@value LibvirtRuntime#LABEL_ACCELERATION}: {@code kvm} or {@code tcg}. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    static Acceleration fromLabel(String s) {
        return s == null ? null : switch (s) {
            case "kvm" -> KVM;
            case "tcg" -> TCG;
            default -> null;
        };
    }
}
