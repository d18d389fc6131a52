package io.genos.portal.service;

import java.util.List;

/** A launch refused before anything was stored or built: each reason names its rule or field. */
public class LaunchRefusedException extends RuntimeException {
    private final List<String> reasons;

    public LaunchRefusedException(List<String> reasons) {
        super("Not launched: " + String.join("; ", reasons));
        this.reasons = List.copyOf(reasons);
    }

    public List<String> reasons() {
        return reasons;
    }
}
