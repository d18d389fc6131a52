package io.genos.composer.internal;

import io.genos.spec.Desktop;
import io.genos.spec.Kind;
import io.genos.spec.Network;
import io.genos.spec.Streaming;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The environment understood so far, mutable while the turns are read one after the other. Strengths say how sure
 * a reading was, so that a later weak hint ("add a terminal") does not undo an earlier explicit choice ("XFCE").
 */
public final class Draft {

    Kind kind;
    /** 0 unset, 1 implied (kernel module, Docker), 2 explicit ("VM", "container"), 3 forced (Windows, BSD). */
    int kindStrength;
    /** The turn that last set the kind explicitly, and the turn being read (from 1). */
    int kindTurn;
    int turn;
    String family;
    String distro;
    String version;
    Desktop desktop;
    /** 0 unset, 1 weak hint, 2 generic ("a desktop"), 3 named or explicitly none. */
    int desktopStrength;
    Integer cpus;
    Integer memoryMiB;
    Integer diskGiB;
    Integer gpus;
    final Set<String> packages = new LinkedHashSet<>();
    Network.Egress egress;
    final Set<String> allow = new LinkedHashSet<>();
    final Set<Integer> ports = new LinkedHashSet<>();
    Streaming.Protocol protocol;
    Integer width;
    Integer height;
    Duration ttl;
    Duration idle;
    String image;
    boolean sshWanted;
    boolean windowsServer;
    /** Names for the environment's slug: purposes and the software asked for, in order. */
    final Set<String> labels = new LinkedHashSet<>();
    String purpose;
    final List<String> notes = new ArrayList<>();
    final List<String> warnings = new ArrayList<>();
    /** How strongly the turns look like a request for an environment. */
    int strongSignals;
    int weakSignals;
    int envNouns;
    /** Turns that said something about an environment and were not a mere question. */
    int requestTurns;
    /** The resource the last quantity set, for a bare number in a later turn ("with 4 cpus", "actually 6"). */
    String lastResource;

    void note(String s) {
        if (!notes.contains(s)) {
            notes.add(s);
        }
    }

    void warn(String s) {
        if (!warnings.contains(s)) {
            warnings.add(s);
        }
    }

    /**
     * A conversation asks for an environment when it says something about one (a quantity, an OS, a desktop, a
     * kind, a protocol) or names one ("a box", "a sandbox") or software it needs; a question ("what is a
     * container?") counts only with a request verb ("can you give me ...?").
     */
    public boolean looksLikeARequest() {
        return requestTurns > 0;
    }
}
