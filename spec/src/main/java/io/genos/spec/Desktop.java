package io.genos.spec;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Locale;

/** The graphical desktop to stream, or {@link #NONE} for a terminal-only environment. */
public enum Desktop {
    @JsonProperty("none") NONE,
    @JsonProperty("xfce") XFCE,
    @JsonProperty("gnome") GNOME,
    @JsonProperty("kde") KDE,
    @JsonProperty("lxqt") LXQT,
    @JsonProperty("mate") MATE,
    @JsonProperty("cinnamon") CINNAMON,
    @JsonProperty("windows") WINDOWS,
    /** Not in the schema's enum: used only in the catalog for the minimal test desktop. */
    @JsonProperty("openbox") OPENBOX;

    public String json() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Desktop fromJson(String s) {
        return valueOf(s.toUpperCase(Locale.ROOT));
    }
}
