package io.genos.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** Outbound policy, allowlisted hosts and ports the user wants reachable from the portal. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Network(Egress egress, List<String> allow, List<Integer> ports) {

    public Network {
        allow = allow == null ? null : List.copyOf(allow);
        ports = ports == null ? null : List.copyOf(ports);
    }

    public enum Egress {
        @JsonProperty("none") NONE,
        @JsonProperty("allowlist") ALLOWLIST,
        @JsonProperty("open") OPEN
    }
}
