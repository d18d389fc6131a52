package io.genos.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** How the display is streamed: protocol and, optionally, resolution. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Streaming(Protocol protocol, Integer width, Integer height) {

    public enum Protocol {
        @JsonProperty("vnc") VNC,
        @JsonProperty("rdp") RDP,
        @JsonProperty("spice") SPICE,
        @JsonProperty("ssh") SSH;

        public String json() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
