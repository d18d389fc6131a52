package io.genos.portal.api;

import io.genos.portal.security.UserAccess;
import io.genos.portal.service.Actor;
import io.genos.portal.service.EnvironmentEvents;
import io.genos.portal.service.EnvironmentService;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.springframework.http.MediaType;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Server-sent events: each state change ({@code event: state}) and provisioning step ({@code event: progress}) of the
 * caller's environments (every one for an admin), or of one. Each stream has its own bounded queue and sender thread:
 * a slow reader never holds up a launch; one that falls 256 changes behind is dropped (reconnect and read the state).
 * A stream ends after 30 minutes (reconnect), and at the next heartbeat (15 s) once its user is disabled.
 */
@RestController
@RequestMapping("/api/v1")
class EventsApi {
    static final int QUEUE = 256;
    static final Duration LONGEST = Duration.ofMinutes(30);
    static final Duration HEARTBEAT = Duration.ofSeconds(15);

    private final EnvironmentEvents events;
    private final EnvironmentService service;
    private final UserAccess access;

    EventsApi(EnvironmentEvents events, EnvironmentService service, UserAccess access) {
        this.events = events;
        this.service = service;
        this.access = access;
    }

    @io.swagger.v3.oas.annotations.Operation(operationId = "events", summary = "Server-sent events: state changes and provisioning steps",
            responses = @io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "200",
                    description = "event: state or progress, data: a Change as JSON; comments as heartbeats",
                    content = @io.swagger.v3.oas.annotations.media.Content(mediaType = "text/event-stream",
                            schema = @io.swagger.v3.oas.annotations.media.Schema(
                                    implementation = EnvironmentEvents.Change.class))))
    @GetMapping(path = "/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    SseEmitter events(@RequestParam(required = false) String environment, Authentication auth) {
        Actor actor = Api.actor(auth);
        if (environment != null) {
            service.get(environment, actor); // someone else's is refused here, before the stream starts
        }
        BlockingQueue<EnvironmentEvents.Change> queue = new ArrayBlockingQueue<>(QUEUE);
        SseEmitter emitter = new SseEmitter(LONGEST.toMillis());
        var overflowed = new java.util.concurrent.atomic.AtomicBoolean();
        EnvironmentEvents.Subscription subscription = events.subscribe(actor, environment, change -> {
            if (!queue.offer(change)) {
                overflowed.set(true);
            }
        });
        var done = new java.util.concurrent.atomic.AtomicBoolean();
        Runnable end = () -> {
            done.set(true);
            subscription.close();
        };
        emitter.onCompletion(end);
        emitter.onTimeout(end);
        emitter.onError(t -> end.run());
        Thread.ofVirtual().name("genos-sse-" + actor.name()).start(() -> {
            long nextBeat = System.nanoTime() + HEARTBEAT.toNanos();
            try {
                emitter.send(SseEmitter.event().comment("following " + (environment == null ? "your environments"
                        : environment)));
                while (!done.get()) {
                    EnvironmentEvents.Change c = queue.poll(1, TimeUnit.SECONDS);
                    if (overflowed.get()) {
                        emitter.send(SseEmitter.event().name("overflow").data("fell behind: reconnect"));
                        emitter.complete();
                        return;
                    }
                    if (c != null) {
                        emitter.send(SseEmitter.event().name(c.type()).id(c.environmentId() + "@" + c.at())
                                .data(c, MediaType.APPLICATION_JSON));
                    }
                    if (System.nanoTime() - nextBeat > 0) {
                        if (!access.active(actor.name())) {
                            emitter.complete();
                            return;
                        }
                        emitter.send(SseEmitter.event().comment("heartbeat"));
                        nextBeat = System.nanoTime() + HEARTBEAT.toNanos();
                    }
                }
            } catch (IOException | IllegalStateException gone) {
                emitter.completeWithError(gone);
            } catch (InterruptedException stop) {
                Thread.currentThread().interrupt();
                emitter.complete();
            } finally {
                subscription.close();
            }
        });
        return emitter;
    }
}
