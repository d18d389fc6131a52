package io.genos.portal.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import jakarta.servlet.http.HttpSessionEvent;
import jakarta.servlet.http.HttpSessionListener;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.WebSocketHandlerDecorator;

/**
 * Whether a signed-in user still may use GenOS, and the end of everything they have open once they may not: an admin
 * disabling or deleting a user ends that user's HTTP sessions (so their pages and admin power go at once) and closes
 * their open display tunnels and terminals; a request or a new tunnel from a session of a user who is no longer
 * enabled is refused.
 */
@Component
public class UserAccess implements HttpSessionListener {
    private static final Logger log = LoggerFactory.getLogger(UserAccess.class);
    /** The close code a revoked socket gets: the browser says the account was disabled. */
    public static final CloseStatus REVOKED = CloseStatus.POLICY_VIOLATION.withReason("access revoked");

    private final JdbcClient jdbc;
    private final Map<String, HttpSession> sessions = new ConcurrentHashMap<>();
    private final Map<String, Set<WebSocketSession>> sockets = new ConcurrentHashMap<>();
    private final Map<String, java.util.concurrent.atomic.AtomicInteger> openByKind = new ConcurrentHashMap<>();
    private final io.micrometer.core.instrument.MeterRegistry meters;
    /** The filter's answers, kept a second (it asks on every request); a revoke forgets the user's at once. */
    private final Map<String, Long> activeUntil = new ConcurrentHashMap<>();

    /** With profile keycloak: Keycloak decides, not the local user store. */
    private final org.springframework.beans.factory.ObjectProvider<ExternalUsers> external;

    /** Most display tunnels and terminals one user has open at once ({@code genos.portal.max-open-per-user}). */
    private final int maxOpenPerUser;

    public UserAccess(JdbcClient jdbc, io.micrometer.core.instrument.MeterRegistry meters,
            org.springframework.beans.factory.ObjectProvider<ExternalUsers> external,
            io.genos.portal.PortalProperties settings) {
        this.maxOpenPerUser = settings.maxOpenPerUser();
        this.jdbc = jdbc;
        this.meters = meters;
        this.external = external;
    }

    /**
     * Whether the user exists and is enabled now (read from the user store at each call: a disable counts at once); with
     * an {@link ExternalUsers} (profile keycloak), what it says.
     */
    public boolean active(String username) {
        if (username == null) {
            return false;
        }
        ExternalUsers other = external.getIfAvailable();
        if (other != null) {
            return other.active(username);
        }
        List<Boolean> enabled = jdbc.sql("select enabled from users where username = ?").param(username)
                .query(Boolean.class).list();
        return !enabled.isEmpty() && Boolean.TRUE.equals(enabled.getFirst());
    }

    /** {@link #active} answered from the last second's answer when there is one (the request filter's hot path). */
    boolean activeRecently(String username) {
        long now = System.nanoTime();
        Long until = activeUntil.get(username);
        if (until != null && now - until < 0) {
            return true;
        }
        boolean active = active(username);
        if (active) {
            if (activeUntil.size() > 10_000) {
                activeUntil.clear();
            }
            activeUntil.put(username, now + 1_000_000_000L);
        } else {
            activeUntil.remove(username);
        }
        return active;
    }

    /** Ends every HTTP session of the user and closes their display tunnels and terminals; says how many. */
    public int revoke(String username) {
        activeUntil.remove(username);
        // the sockets first, with GenOS's reason (ending the HTTP session would make Tomcat close them with its own)
        Set<WebSocketSession> open = sockets.remove(username);
        int closed = 0;
        if (open != null) {
            for (WebSocketSession ws : open) {
                try {
                    if (ws.isOpen()) {
                        ws.close(REVOKED);
                        closed++;
                    }
                } catch (IOException e) {
                    log.debug("closing a revoked socket: {}", e.toString());
                }
            }
        }
        int ended = 0;
        for (HttpSession s : List.copyOf(sessions.values())) {
            try {
                if (username.equals(nameOf(s))) {
                    s.invalidate();
                    ended++;
                }
            } catch (IllegalStateException alreadyInvalid) {
                sessions.values().remove(s);
            }
        }
        log.info("access of {} revoked: {} HTTP session(s) ended, {} tunnel(s) and terminal(s) closed", username, ended,
                closed);
        return ended + closed;
    }

    private static String nameOf(HttpSession s) {
        Object context = s.getAttribute(HttpSessionSecurityContextRepository.SPRING_SECURITY_CONTEXT_KEY);
        if (context instanceof SecurityContext sc && sc.getAuthentication() != null) {
            return sc.getAuthentication().getName();
        }
        return null;
    }

    @Override
    public void sessionCreated(HttpSessionEvent se) {
        sessions.put(se.getSession().getId(), se.getSession());
    }

    @Override
    public void sessionDestroyed(HttpSessionEvent se) {
        sessions.remove(se.getSession().getId());
    }

    /**
     * A WebSocket handler whose sessions are closed when their user's access is revoked, and refused once it is, or
     * when the user has {@code genos.portal.max-open-per-user} open already; how many are open is the metric
     * {@code genos.open{kind=…}}.
     */
    public WebSocketHandler tracking(String kind, WebSocketHandler handler) {
        java.util.concurrent.atomic.AtomicInteger open = openByKind.computeIfAbsent(kind, k -> {
            java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
            io.micrometer.core.instrument.Gauge.builder("genos.open", n, java.util.concurrent.atomic.AtomicInteger::get)
                    .description("open display tunnels and terminals").tag("kind", k).register(meters);
            return n;
        });
        return new WebSocketHandlerDecorator(handler) {
            @Override
            public void afterConnectionEstablished(WebSocketSession session) throws Exception {
                String user = session.getPrincipal() == null ? null : session.getPrincipal().getName();
                if (user != null && !active(user)) {
                    session.close(REVOKED);
                    return;
                }
                if (user != null) {
                    Set<WebSocketSession> mine = sockets.computeIfAbsent(user, k -> ConcurrentHashMap.newKeySet());
                    synchronized (mine) {
                        if (mine.size() >= maxOpenPerUser) {
                            session.close(CloseStatus.POLICY_VIOLATION.withReason("you have " + mine.size()
                                    + " displays and terminals open, the most at once: close one"));
                            return;
                        }
                        mine.add(session);
                    }
                }
                open.incrementAndGet();
                session.getAttributes().put("genos.counted", Boolean.TRUE);
                super.afterConnectionEstablished(session);
            }

            @Override
            public void afterConnectionClosed(WebSocketSession session, CloseStatus status) throws Exception {
                String user = session.getPrincipal() == null ? null : session.getPrincipal().getName();
                if (user != null) {
                    Set<WebSocketSession> set = sockets.get(user);
                    if (set != null) {
                        set.remove(session);
                    }
                }
                if (session.getAttributes().remove("genos.counted") != null) {
                    open.decrementAndGet();
                }
                super.afterConnectionClosed(session, status);
            }
        };
    }

    /** Signs out, at its next request, a session whose user was disabled or deleted meanwhile. */
    OncePerRequestFilter filter() {
        return new OncePerRequestFilter() {
            @Override
            protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                    throws ServletException, IOException {
                Authentication auth = SecurityContextHolder.getContext().getAuthentication();
                if (auth != null && auth.isAuthenticated() && request.getSession(false) != null
                        && !"anonymousUser".equals(auth.getName()) && !activeRecently(auth.getName())) {
                    HttpSession session = request.getSession(false);
                    if (session != null) {
                        session.invalidate();
                    }
                    SecurityContextHolder.clearContext();
                    // signed in through Keycloak: the start page, whose sign-in goes to Keycloak (which refuses them)
                    response.sendRedirect(request.getContextPath() + (external.getIfAvailable() != null ? "/" : "/login"));
                    return;
                }
                chain.doFilter(request, response);
            }
        };
    }
}
