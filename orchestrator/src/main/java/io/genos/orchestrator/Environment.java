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

    /** An environment whose display speaks VNC. */
    public Environment(String id, String owner, String name, String imageId, Kind kind, EnvironmentState state,
            String stateReason, int progress, String progressText, String runtimeRef, String displayHost,
            int displayPort, String displayPassword, EnvironmentSpec spec, List<String> warnings, Instant createdAt,
            Instant updatedAt, Instant expiresAt) {
        this(id, owner, name, imageId, kind, state, stateReason, progress, progressText, runtimeRef, displayHost,
                displayPort, displayPassword, spec, warnings, createdAt, updatedAt, expiresAt, Protocol.VNC);
    }

    /** The display endpoint, only while running and when its address is known. */
    public Optional<DisplayEndpoint> display() {
        if (state != EnvironmentState.RUNNING || displayHost == null || displayPort <= 0) {
            return Optional.empty();
        }
        return Optional.of(new DisplayEndpoint(displayProtocol, displayHost, displayPort, displayPassword));
    }

    Environment withState(EnvironmentState s, String reason, Instant at) {
        return new Environment(id, owner, name, imageId, kind, s, reason, progress, progressText, runtimeRef,
                displayHost, displayPort, displayPassword, spec, warnings, createdAt, at, expiresAt, displayProtocol);
    }

    Environment withProgress(int p, String text) {
        return new Environment(id, owner, name, imageId, kind, state, stateReason, p, text, runtimeRef, displayHost,
                displayPort, displayPassword, spec, warnings, createdAt, updatedAt, expiresAt, displayProtocol);
    }

    Environment withRuntimeRef(String ref) {
        return new Environment(id, owner, name, imageId, kind, state, stateReason, progress, progressText, ref,
                displayHost, displayPort, displayPassword, spec, warnings, createdAt, updatedAt, expiresAt, displayProtocol);
    }

    Environment withDisplay(String host, int port) {
        return new Environment(id, owner, name, imageId, kind, state, stateReason, progress, progressText, runtimeRef,
                host, port, displayPassword, spec, warnings, createdAt, updatedAt, expiresAt, displayProtocol);
    }

    Environment withExpiresAt(Instant at) {
        return new Environment(id, owner, name, imageId, kind, state, stateReason, progress, progressText, runtimeRef,
                displayHost, displayPort, displayPassword, spec, warnings, createdAt, updatedAt, at, displayProtocol);
    }

    @Override
    public String toString() {
        return "Environment[" + id + " " + owner + "/" + name + " " + imageId + " " + state
                + (stateReason == null ? "" : " (" + stateReason + ")") + "]";
    }

    Environment withDisplayProtocol(Protocol p) {
        return new Environment(id, owner, name, imageId, kind, state, stateReason, progress, progressText, runtimeRef,
                displayHost, displayPort, displayPassword, spec, warnings, createdAt, updatedAt, expiresAt, p);
    }
}
