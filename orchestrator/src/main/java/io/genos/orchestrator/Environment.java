package io.genos.orchestrator;

import io.genos.spec.DisplayEndpoint;
import io.genos.spec.EnvironmentSpec;
import io.genos.spec.Kind;
import io.genos.spec.Streaming.Protocol;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One environment as persisted: who owns it, what was asked for (the resolved spec), where it is in its lifecycle
 * and how to reach its display.
 *
 * @param id UUID string
 * @param owner username of the owner
 * @param name the spec's name, unique per owner among environments that are not destroyed
 * @param imageId catalog id of the image
 * @param kind container or vm
 * @param state lifecycle state
 * @param stateReason why it is in this state, readable by the user (always set for FAILED)
 * @param progress 0..100 while provisioning, 100 once running
 * @param progressText the current provisioning step, e.g. "waiting for the display"
 * @param runtimeRef the runtime's id (container id); {@code null} before creation and after destroy
 * @param displayHost host of the display while running ({@code 127.0.0.1} or a host-only bridge address)
 * @param displayPort port of the display while running, else 0
 * @param displayPassword the VNC password of this environment (set at creation, kept for its life)
 * @param spec the resolved spec
 * @param warnings what the runtime could not honour, said at launch
 * @param expiresAt when the spec's lifetime ends, {@code null} when unlimited
 * @param displayProtocol what the display speaks (VNC, SPICE...), chosen by the runtime at launch; VNC when unset
 */
public record Environment(
        String id,
        String owner,
        String name,
        String imageId,
        Kind kind,
        EnvironmentState state,
        String stateReason,
        int progress,
        String progressText,
        String runtimeRef,
        String displayHost,
        int displayPort,
        String displayPassword,
        EnvironmentSpec spec,
        List<String> warnings,
        Instant createdAt,
        Instant updatedAt,
        Instant expiresAt,
        Protocol displayProtocol) {

    public Environment {
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
        displayProtocol = displayProtocol == null ? Protocol.VNC : displayProtocol;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this environment's values, to change some of them. */
    public Builder toBuilder() {
        return new Builder().id(id).owner(owner).name(name).imageId(imageId).kind(kind).state(state)
                .stateReason(stateReason).progress(progress).progressText(progressText).runtimeRef(runtimeRef)
                .display(displayHost, displayPort).displayPassword(displayPassword).spec(spec).warnings(warnings)
                .createdAt(createdAt).updatedAt(updatedAt).expiresAt(expiresAt).displayProtocol(displayProtocol);
    }

    /** Builds an {@link Environment} field by field (the display protocol is VNC unless said). */
    public static final class Builder {
        private String id;
        private String owner;
        private String name;
        private String imageId;
        private Kind kind;
        private EnvironmentState state;
        private String stateReason;
        private int progress;
        private String progressText;
        private String runtimeRef;
        private String displayHost;
        private int displayPort;
        private String displayPassword;
        private EnvironmentSpec spec;
        private List<String> warnings = List.of();
        private Instant createdAt;
        private Instant updatedAt;
        private Instant expiresAt;
        private Protocol displayProtocol = Protocol.VNC;

        private Builder() {}

        public Builder id(String v) { id = v; return this; }
        public Builder owner(String v) { owner = v; return this; }
        public Builder name(String v) { name = v; return this; }
        public Builder imageId(String v) { imageId = v; return this; }
        public Builder kind(Kind v) { kind = v; return this; }
        public Builder state(EnvironmentState v) { state = v; return this; }
        public Builder stateReason(String v) { stateReason = v; return this; }
        public Builder progress(int v) { progress = v; return this; }
        public Builder progressText(String v) { progressText = v; return this; }
        public Builder runtimeRef(String v) { runtimeRef = v; return this; }
        public Builder display(String host, int port) { displayHost = host; displayPort = port; return this; }
        public Builder displayPassword(String v) { displayPassword = v; return this; }
        public Builder spec(EnvironmentSpec v) { spec = v; return this; }
        public Builder warnings(List<String> v) { warnings = v; return this; }
        /** Created and last updated at this instant. */
        public Builder at(Instant v) { createdAt = v; updatedAt = v; return this; }
        public Builder createdAt(Instant v) { createdAt = v; return this; }
        public Builder updatedAt(Instant v) { updatedAt = v; return this; }
        public Builder expiresAt(Instant v) { expiresAt = v; return this; }
        public Builder displayProtocol(Protocol v) { displayProtocol = v; return this; }

        public Environment build() {
            return new Environment(id, owner, name, imageId, kind, state, stateReason, progress, progressText,
                    runtimeRef, displayHost, displayPort, displayPassword, spec, warnings, createdAt, updatedAt,
                    expiresAt, displayProtocol);
        }
    }

    /** The display endpoint, only while running and when its address is known. */
    public Optional<DisplayEndpoint> display() {
        if (state != EnvironmentState.RUNNING || displayHost == null || displayPort <= 0) {
            return Optional.empty();
        }
        return Optional.of(new DisplayEndpoint(displayProtocol, displayHost, displayPort, displayPassword));
    }

    Environment withState(EnvironmentState s, String reason, Instant at) {
        return toBuilder().state(s).stateReason(reason).updatedAt(at).build();
    }

    Environment withProgress(int p, String text) {
        return toBuilder().progress(p).progressText(text).build();
    }

    Environment withRuntimeRef(String ref) {
        return toBuilder().runtimeRef(ref).build();
    }

    Environment withDisplay(String host, int port) {
        return toBuilder().display(host, port).build();
    }

    Environment withExpiresAt(Instant at) {
        return toBuilder().expiresAt(at).build();
    }

    @Override
    public String toString() {
        return "Environment[" + id + " " + owner + "/" + name + " " + imageId + " " + state
                + (stateReason == null ? "" : " (" + stateReason + ")") + "]";
    }

    Environment withDisplayProtocol(Protocol p) {
        return toBuilder().displayProtocol(p).build();
    }
}
