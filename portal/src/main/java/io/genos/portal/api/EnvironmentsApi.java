package io.genos.portal.api;

import io.genos.composer.ComposeResult;
import io.genos.orchestrator.Environment;
import io.genos.portal.api.ApiModel.ComposeRequest;
import io.genos.portal.api.ApiModel.ComposeResponse;
import io.genos.portal.api.ApiModel.CreateRequest;
import io.genos.portal.api.ApiModel.DisplayLink;
import io.genos.portal.api.ApiModel.EnvironmentResponse;
import io.genos.portal.api.ApiModel.EventResponse;
import io.genos.portal.api.ApiModel.ExtendRequest;
import io.genos.portal.api.ApiModel.SnapshotRequest;
import io.genos.portal.api.ApiModel.SnapshotResponse;
import io.genos.portal.service.EnvironmentService;
import io.genos.spec.EnvironmentSpec;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * Compose and the life of an environment over HTTP: each call is the application service's action for the token's
 * owner, with the same rules as the chat (policy, catalog, quota, owner-or-admin, rates).
 */
@RestController
@RequestMapping(path = "/api/v1", produces = "application/json")
class EnvironmentsApi {

    private final EnvironmentService service;

    EnvironmentsApi(EnvironmentService service) {
        this.service = service;
    }

    /** Turns a conversation into a spec, says what policy and the catalog make of it; launches nothing. */
    @io.swagger.v3.oas.annotations.Operation(operationId = "compose", summary = "Compose a spec from a conversation; nothing is launched")
    @PostMapping("/compose")
    ComposeResponse compose(@RequestBody ComposeRequest request, Authentication auth) {
        ComposeResult composed = service.compose(turns(request.turns()), Api.actor(auth));
        return ComposeResponse.of(composed.spec(), composed.violations(), composed.warnings(),
                service.check(composed.spec(), request.turns()));
    }

    @io.swagger.v3.oas.annotations.Operation(operationId = "listEnvironments", summary = "Your environments (every one for an admin)")
    @GetMapping("/environments")
    List<EnvironmentResponse> list(Authentication auth) {
        return service.list(Api.actor(auth)).stream().map(EnvironmentResponse::of).toList();
    }

    /**
     * Launches a spec (as compose answered it), or what the turns ask for when no spec is given; answers at once with
     * the environment REQUESTED or PROVISIONING (follow it with the events or by polling).
     */
    @io.swagger.v3.oas.annotations.Operation(operationId = "createEnvironment", summary = "Launch a spec, or what the turns ask for")
    @PostMapping("/environments")
    @ResponseStatus(HttpStatus.CREATED)
    EnvironmentResponse create(@RequestBody CreateRequest request, Authentication auth,
            jakarta.servlet.http.HttpServletResponse response) {
        var actor = Api.actor(auth);
        EnvironmentSpec spec = request.spec();
        List<String> turns = request.turns() == null ? List.of() : request.turns();
        if (spec == null) {
            ComposeResult composed = service.compose(turns(turns), actor);
            if (!composed.violations().isEmpty()) {
                throw new io.genos.portal.service.LaunchRefusedException(composed.violations().stream()
                        .map(v -> v.field() + ": " + v.message()).toList());
            }
            spec = composed.spec();
        }
        Environment e = service.launch(spec, turns, actor);
        response.setHeader("Location", ServletUriComponentsBuilder.fromCurrentRequest().path("/{id}")
                .buildAndExpand(e.id()).toUriString());
        return EnvironmentResponse.of(e);
    }

    @io.swagger.v3.oas.annotations.Operation(operationId = "getEnvironment", summary = "One environment")
    @GetMapping("/environments/{id}")
    EnvironmentResponse get(@PathVariable String id, Authentication auth) {
        return EnvironmentResponse.of(service.get(id, Api.actor(auth)));
    }

    /** Destroys it: its container or VM and its disk are removed; its history stays. */
    @io.swagger.v3.oas.annotations.Operation(operationId = "destroyEnvironment", summary = "Destroy an environment")
    @DeleteMapping("/environments/{id}")
    EnvironmentResponse destroy(@PathVariable String id, Authentication auth) {
        return EnvironmentResponse.of(service.destroy(id, Api.actor(auth)));
    }

    @io.swagger.v3.oas.annotations.Operation(operationId = "stopEnvironment", summary = "Stop it (its disk stays)")
    @PostMapping("/environments/{id}/stop")
    EnvironmentResponse stop(@PathVariable String id, Authentication auth) {
        return EnvironmentResponse.of(service.stop(id, Api.actor(auth)));
    }

    /** Starts it again, within its owner's quota. */
    @io.swagger.v3.oas.annotations.Operation(operationId = "startEnvironment", summary = "Start it again, within the quota")
    @PostMapping("/environments/{id}/start")
    EnvironmentResponse start(@PathVariable String id, Authentication auth) {
        return EnvironmentResponse.of(service.start(id, Api.actor(auth)));
    }

    @io.swagger.v3.oas.annotations.Operation(operationId = "rebootEnvironment", summary = "Reboot it")
    @PostMapping("/environments/{id}/reboot")
    EnvironmentResponse reboot(@PathVariable String id, Authentication auth) {
        return EnvironmentResponse.of(service.reboot(id, Api.actor(auth)));
    }

    /** Extends its lifetime by an ISO-8601 duration, never beyond the policy's longest lifetime. */
    @io.swagger.v3.oas.annotations.Operation(operationId = "extendEnvironment", summary = "Extend its lifetime")
    @PostMapping("/environments/{id}/extend")
    EnvironmentResponse extend(@PathVariable String id, @RequestBody ExtendRequest request, Authentication auth) {
        Duration by;
        try {
            by = Duration.parse(request.by() == null ? "" : request.by());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("by is an ISO-8601 duration such as PT2H, not \"" + request.by() + "\"");
        }
        return EnvironmentResponse.of(service.extend(id, by, Api.actor(auth)));
    }

    @io.swagger.v3.oas.annotations.Operation(operationId = "environmentHistory", summary = "Its state changes, oldest first")
    @GetMapping("/environments/{id}/history")
    List<EventResponse> history(@PathVariable String id, Authentication auth) {
        return service.history(id, Api.actor(auth)).stream().map(EventResponse::of).toList();
    }

    /** The page where a signed-in browser sees its desktop or terminal. */
    @io.swagger.v3.oas.annotations.Operation(operationId = "displayLink", summary = "The page that shows it in a browser")
    @GetMapping("/environments/{id}/display")
    DisplayLink display(@PathVariable String id, Authentication auth) {
        Environment e = service.get(id, Api.actor(auth));
        String url = ServletUriComponentsBuilder.fromCurrentContextPath().path("/session/{id}").buildAndExpand(e.id())
                .toUriString();
        boolean ready = e.state() == io.genos.orchestrator.EnvironmentState.RUNNING;
        return new DisplayLink(url, ready, e.display().isPresent()
                ? e.display().get().protocol().name().toLowerCase(java.util.Locale.ROOT) : "terminal", e.state().name());
    }

    @io.swagger.v3.oas.annotations.Operation(operationId = "listSnapshots", summary = "Its snapshots")
    @GetMapping("/environments/{id}/snapshots")
    List<SnapshotResponse> snapshots(@PathVariable String id, Authentication auth) {
        return service.snapshots(id, Api.actor(auth)).stream().map(SnapshotResponse::of).toList();
    }

    @io.swagger.v3.oas.annotations.Operation(operationId = "takeSnapshot", summary = "Take a snapshot")
    @PostMapping("/environments/{id}/snapshots")
    @ResponseStatus(HttpStatus.CREATED)
    SnapshotResponse snapshot(@PathVariable String id, @RequestBody SnapshotRequest request, Authentication auth) {
        return SnapshotResponse.of(service.snapshot(id, request.name(), Api.actor(auth)));
    }

    /** Reverts to the snapshot (within the owner's quota: a stopped environment may run again). */
    @io.swagger.v3.oas.annotations.Operation(operationId = "revertToSnapshot", summary = "Revert to a snapshot")
    @PostMapping("/environments/{id}/snapshots/{name}/revert")
    EnvironmentResponse revert(@PathVariable String id, @PathVariable String name, Authentication auth) {
        return EnvironmentResponse.of(service.revert(id, name, Api.actor(auth)));
    }

    @io.swagger.v3.oas.annotations.Operation(operationId = "deleteSnapshot", summary = "Delete a snapshot")
    @DeleteMapping("/environments/{id}/snapshots/{name}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void deleteSnapshot(@PathVariable String id, @PathVariable String name, Authentication auth) {
        service.deleteSnapshot(id, name, Api.actor(auth));
    }

    private static List<String> turns(List<String> turns) {
        if (turns == null || turns.isEmpty()) {
            throw new IllegalArgumentException("turns: say what environment you need, e.g. [\"a Debian desktop\"]");
        }
        return turns;
    }
}
