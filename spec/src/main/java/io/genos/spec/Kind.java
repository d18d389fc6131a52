package io.genos.spec;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Container (shares the host kernel) or virtual machine (own kernel). */
public enum Kind {
    @JsonProperty("container") CONTAINER,
    @JsonProperty("vm") VM;

    public String json() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static Kind fromJson(String s) {
        return valueOf(s.toUpperCase(java.util.Locale.ROOT));
    }
}
