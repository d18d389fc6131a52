package io.genos.portal.session;

import com.vaadin.flow.component.AttachEvent;
import com.vaadin.flow.component.DetachEvent;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.progressbar.ProgressBar;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.shared.Registration;
import io.genos.orchestrator.Environment;
import io.genos.orchestrator.EnvironmentState;
import io.genos.portal.service.Actor;
import io.genos.portal.service.EnvironmentService;
import io.genos.portal.environments.EnvironmentActions;
import io.genos.portal.security.CurrentUser;
import jakarta.annotation.security.PermitAll;
import java.util.Optional;

/**
 * One environment: provisioning progress, then the live desktop in this tab; for an environment without a display
 * (desktop none) a terminal in the same place.
 */
@Route("session/:id")
@PageTitle("Session · GenOS")
@PermitAll
public class SessionView extends VerticalLayout implements BeforeEnterObserver {

    private final EnvironmentService environments;
    /** Who opened the view, read while their request is current (workers have no security context). */
    private Actor actor;
    private final CurrentUser user;
    private final EnvironmentActions actions;
    private final io.genos.portal.lifetime.LifetimeEnforcer lifetimes;
    private static final java.time.Duration WARN_BEFORE = java.time.Duration.ofMinutes(5);

    private final H3 title = new H3();
    private final Span state = new Span();
    private final Span lifetime = new Span();
    private final ProgressBar progress = new ProgressBar(0, 100);
    private final Paragraph progressText = new Paragraph();
    private final Div display = new Div();
    private final Div terminal = new Div();
    private final HorizontalLayout buttons = new HorizontalLayout();
    private final com.vaadin.flow.component.html.UnorderedList historyList = new com.vaadin.flow.component.html.UnorderedList();
    private final com.vaadin.flow.component.details.Details history =
            new com.vaadin.flow.component.details.Details("History", historyList);
    private final LifetimeExtension extension;
    private final SnapshotsPanel snapshots;
    private int historyShown = -1;
    private int buildLogsShown = -1;
    private final com.vaadin.flow.component.html.Div buildLogs = new com.vaadin.flow.component.html.Div();
    private String id;
    /** Read while a request is current (in beforeEnter): attaching may happen later, from a worker's UI.access. */
    private String contextPath = "";
    private boolean attached;
    /** A VM's serial console, opened beside its screen when the user picks that tab. */
    private boolean consoleAttached;
    private final com.vaadin.flow.component.tabs.Tab screenTab = new com.vaadin.flow.component.tabs.Tab("Screen");
    private final com.vaadin.flow.component.tabs.Tab consoleTab = new com.vaadin.flow.component.tabs.Tab("Serial console");
    private final com.vaadin.flow.component.tabs.Tabs views = new com.vaadin.flow.component.tabs.Tabs(screenTab, consoleTab);
    private Registration poll;
    @org.springframework.beans.factory.annotation.Autowired
    private DisplayNotice displayNotice;

    public SessionView(EnvironmentService environments, CurrentUser user, EnvironmentActions actions,
            io.genos.portal.lifetime.LifetimeEnforcer lifetimes) {
        this.environments = environments;
        this.extension = new LifetimeExtension(environments, user, this::render);
        this.snapshots = new SnapshotsPanel(environments, user, this::reconnect);
        this.lifetimes = lifetimes;
        this.user = user;
        this.actions = actions;
        setSizeFull();
        setPadding(true);
        state.setId("env-state");
        lifetime.setId("env-lifetime");
        lifetime.getStyle().set("color", "var(--lumo-secondary-text-color)");
        progress.setId("provisioning-progress");
        progressText.setId("provisioning-text");
        display.setId("display");
        display.setSizeFull();
        display.getStyle().set("background", "#1b1d23").set("overflow", "hidden").set("position", "relative")
                .set("min-height", "300px");
        display.getElement().setAttribute("tabindex", "0");
        views.setId("view-tabs");
        screenTab.setId("view-screen");
        consoleTab.setId("view-console");
        views.addSelectedChangeListener(e -> {
            if (id != null) {
                environments.find(id, actor).ifPresent(this::render);
            }
        });
        terminal.setId("terminal");
        terminal.setSizeFull();
        terminal.getStyle().set("background", "#1b1d23").set("overflow", "hidden").set("padding", "4px")
                .set("box-sizing", "border-box").set("min-height", "300px");
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        id = event.getRouteParameters().get("id").orElse("");
        contextPath = com.vaadin.flow.server.VaadinService.getCurrentRequest().getContextPath();
        removeAll();
        actor = user.actor();
        Optional<Environment> found = environments.find(id, actor);
        if (found.isEmpty()) {
            // The same answer for "does not exist" and "not yours": ids of other people's environments are not confirmed.
            Paragraph refusal = new Paragraph("You cannot open this environment: it does not exist or it belongs to "
                    + "another user.");
            refusal.setId("refusal");
            refusal.getStyle().set("color", "var(--lumo-error-text-color)");
            add(new H3("Not allowed"), refusal);
            return;
        }
        HorizontalLayout header = new HorizontalLayout(title, lifetime, extension, state, buttons);
        header.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.CENTER);
        header.setWidthFull();
        header.getStyle().set("flex-wrap", "wrap");
        header.expand(title);
        history.setId("env-history");
        historyList.getStyle().set("font-size", "var(--lumo-font-size-s)").set("margin", "0");
        historyShown = -1;
        buildLogsShown = -1;
        buildLogs.setId("build-logs");
        // inside the history, not beside it: the display keeps the layout it had (its size decides where a click lands)
        history.add(buildLogs);
        add(header, progress, progressText, views, display, terminal, snapshots, history);
        setFlexGrow(1, display, terminal);
        display.setVisible(false);
        terminal.setVisible(false);
        views.setVisible(false);
        render(found.get());
    }

    @Override
    protected void onAttach(AttachEvent event) {
        poll = event.getUI().addPollListener(e -> refresh());
        event.getUI().setPollInterval(700);
    }

    @Override
    protected void onDetach(DetachEvent event) {
        if (poll != null) {
            poll.remove();
        }
        event.getUI().setPollInterval(-1);
        attached = false;
        consoleAttached = false;
    }

    private void refresh() {
        if (id != null && !attached) {
            environments.find(id, actor).ifPresent(this::render);
        } else if (id != null) {
            environments.find(id, actor).ifPresent(e -> {
                showHistory(e.id());
                if (e.state() != EnvironmentState.RUNNING) {
                    render(e);
                } else {
                    showLifetime(e);
                    extension.show(e);
                    snapshots.show(e);
                }
            });
        }
    }

    /** Every state change of the environment: when, from, to, who, why (the audit trail, shown as it grows). */
    private void showHistory(String environmentId) {
        java.util.List<io.genos.orchestrator.EnvironmentEvent> events = environments.history(environmentId, actor);
        if (events.size() == historyShown) {
            return;
        }
        historyShown = events.size();
        historyList.removeAll();
        java.time.format.DateTimeFormatter t = java.time.format.DateTimeFormatter.ofPattern("HH:mm:ss")
                .withZone(java.time.ZoneId.systemDefault());
        for (var e : events.reversed()) {
            historyList.add(new com.vaadin.flow.component.html.ListItem(t.format(e.at()) + "  "
                    + (e.from() == null ? "" : e.from().name().toLowerCase(java.util.Locale.ROOT) + " → ")
                    + e.to().name().toLowerCase(java.util.Locale.ROOT) + "  by " + e.actor()
                    + (e.reason() == null ? "" : ": " + e.reason())));
        }
        showBuildLogs(environmentId);
    }

    /** The build logs of the image layers this environment's launch built or waited for, in the history. */
    private void showBuildLogs(String environmentId) {
        java.util.List<io.genos.orchestrator.EnvironmentLog> logs = environments.logs(environmentId, actor);
        if (logs.size() == buildLogsShown) {
            return;
        }
        buildLogsShown = logs.size();
        buildLogs.removeAll();
        for (var l : logs) {
            com.vaadin.flow.component.html.Pre body = new com.vaadin.flow.component.html.Pre(l.body());
            body.getStyle().set("max-height", "20em").set("overflow", "auto").set("font-size", "var(--lumo-font-size-xs)");
            com.vaadin.flow.component.details.Details d = new com.vaadin.flow.component.details.Details(l.title(), body);
            d.addClassName("build-log");
            buildLogs.add(d);
        }
    }

    private void render(Environment env) {
        showHistory(env.id());
        title.setText(env.name());
        state.setText(env.state().name().toLowerCase(java.util.Locale.ROOT));
        showLifetime(env);
        extension.show(env);
        snapshots.show(env);
        state.getElement().getThemeList().clear();
        state.getElement().getThemeList().add("badge");
        buttons.removeAll();
        buttons.add(actions.buttons(env, this::afterAction).toArray(new Button[0]));
        switch (env.state()) {
            case REQUESTED, PROVISIONING -> {
                progress.setVisible(true);
                progress.setValue(Math.max(2, env.progress()));
                progressText.setVisible(true);
                progressText.setText(env.progressText() == null ? "Preparing…" : env.progressText() + "…");
                display.setVisible(false);
                terminal.setVisible(false);
            }
            case RUNNING -> {
                progress.setVisible(false);
                progressText.setVisible(false);
                boolean headless = env.display().isEmpty();
                // A VM offers its serial console beside its screen (a shell for Linux guests, boot messages).
                boolean vmConsole = !headless && env.kind() == io.genos.spec.Kind.VM;
                views.setVisible(vmConsole);
                boolean showTerminal = headless || (vmConsole && views.getSelectedTab() == consoleTab);
                display.setVisible(!showTerminal);
                terminal.setVisible(showTerminal);
                if (!attached) {
                    attached = true;
                    if (headless) {
                        attachTerminal(env.id());
                    } else if (!displayNotice.show(env, display)) {
                        attachDisplay(env.id());
                    }
                }
                if (showTerminal && !headless && !consoleAttached) {
                    consoleAttached = true;
                    attachTerminal(env.id());
                }
            }
            default -> {
                progress.setVisible(false);
                progressText.setVisible(true);
                progressText.setText(switch (env.state()) {
                    case FAILED -> "Failed: " + env.stateReason();
                    case STOPPED -> "Stopped. Start it to connect again.";
                    case DESTROYED -> "Destroyed.";
                    default -> env.state().name();
                });
                display.setVisible(false);
                terminal.setVisible(false);
                views.setVisible(false);
                if (attached || consoleAttached) {
                    display.getElement().executeJs("if (window.GenosDisplay && this.__genos) { this.__genos.disconnect(); }");
                    terminal.getElement().executeJs("if (this.__genos) { this.__genos.disconnect(); this.__genos = null; }");
                    attached = false;
                    consoleAttached = false;
                }
            }
        }
    }

    /** The TTL countdown, and a warning once the end of the lifetime or an idle stop is less than five minutes away. */
    private void showLifetime(Environment env) {
        java.time.Instant now = java.time.Instant.now();
        java.util.List<String> parts = new java.util.ArrayList<>();
        boolean soon = false;
        if (env.expiresAt() != null && env.state() != EnvironmentState.DESTROYED) {
            java.time.Duration d = java.time.Duration.between(now, env.expiresAt());
            parts.add("destroyed in " + left(d));
            soon = d.compareTo(WARN_BEFORE) < 0;
        }
        if (env.state() == EnvironmentState.RUNNING) {
            java.util.Optional<java.time.Instant> idle = lifetimes.idleDeadline(env);
            if (idle.isPresent() && java.time.Duration.between(now, idle.get()).compareTo(WARN_BEFORE) < 0) {
                parts.add("stopped in " + left(java.time.Duration.between(now, idle.get())) + " unless used");
                soon = true;
            }
        }
        lifetime.setText(String.join(" · ", parts));
        lifetime.getStyle().set("color", soon ? "var(--lumo-error-text-color)" : "var(--lumo-secondary-text-color)");
    }

    private static String left(java.time.Duration d) {
        if (d.isNegative() || d.isZero()) {
            return "a moment";
        }
        long h = d.toHours();
        long m = d.toMinutesPart();
        return h > 0 ? h + " h " + m + " min" : m > 0 ? m + " min" : d.toSecondsPart() + " s";
    }

    private void afterAction(Environment env) {
        if (env.state() == EnvironmentState.DESTROYED) {
            getUI().ifPresent(ui -> ui.navigate("environments"));
        } else if (env.state() == EnvironmentState.RUNNING) {
            reconnect(env); // after a reboot the display or terminal is a new one
        } else {
            render(env);
        }
    }

    /**
     * After a revert the display or terminal may have moved (a container is recreated, a VM's display restarted):
     * disconnect and attach again.
     */
    private void reconnect(Environment env) {
        if (attached || consoleAttached) {
            display.getElement().executeJs("this.__generation = (this.__generation || 0) + 1;"
                    + " if (this.__genos) { this.__genos.disconnect(); this.__genos = null; } this.removeAttribute('data-error');");
            terminal.getElement().executeJs("if (this.__genos) { this.__genos.disconnect(); this.__genos = null; }");
            attached = false;
            consoleAttached = false;
        }
        render(env);
    }

    private void attachDisplay(String environmentId) {
        // guacamole-common-js first, then GenOS's display script; both are served from the streaming module's jar.
        display.getElement().executeJs("""
                const el = this;
                const load = (src) => new Promise((ok, fail) => {
                  if (document.querySelector('script[src="' + src + '"]')) { ok(); return; }
                  const s = document.createElement('script'); s.src = src; s.onload = ok;
                  s.onerror = () => fail(new Error('cannot load ' + src)); document.head.appendChild(s);
                });
                (window.Guacamole ? Promise.resolve() : load($1 + '/guacamole/all.min.js'))
                  .then(() => window.GenosDisplay ? null : load($1 + '/genos/display.js'))
                  .then(() => {
                    el.innerHTML = '';
                    el.removeAttribute('data-error');
                    // A display replaced by a reconnect may still report its end: only the current one speaks.
                    const generation = el.__generation = (el.__generation || 0) + 1;
                    const current = () => el.__generation === generation;
                    el.__genos = GenosDisplay.attach(el, $0, {
                      tunnelUrl: (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + $1 + '/tunnel',
                      onstate: (t) => { if (current()) el.setAttribute('data-state', t); },
                      onerror: (m) => { if (current()) el.setAttribute('data-error', m); }
                    });
                  })
                  .catch((e) => el.setAttribute('data-error', String(e)));
                """, environmentId, contextPath);
    }

    private void attachTerminal(String environmentId) {
        // xterm.js and its fit addon from the webjars, then GenOS's terminal script (this module's static files).
        terminal.getElement().executeJs("""
                const el = this;
                const load = (src) => new Promise((ok, fail) => {
                  if (document.querySelector('script[src="' + src + '"]')) { ok(); return; }
                  const s = document.createElement('script'); s.src = src; s.onload = ok;
                  s.onerror = () => fail(new Error('cannot load ' + src)); document.head.appendChild(s);
                });
                if (!document.querySelector('link[data-genos-xterm]')) {
                  const css = document.createElement('link'); css.rel = 'stylesheet'; css.setAttribute('data-genos-xterm', '');
                  css.href = $1 + '/webjars/xterm/4.9.0/css/xterm.css'; document.head.appendChild(css);
                }
                (window.Terminal ? Promise.resolve() : load($1 + '/webjars/xterm/4.9.0/lib/xterm.js'))
                  .then(() => window.FitAddon ? null : load($1 + '/webjars/xterm-addon-fit/0.3.0/lib/xterm-addon-fit.js'))
                  .then(() => window.GenosTerminal ? null : load($1 + '/genos/terminal.js'))
                  .then(() => {
                    el.__genos = GenosTerminal.attach(el, $0, {
                      url: (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + $1 + '/terminal'
                    });
                  })
                  .catch((e) => el.setAttribute('data-error', String(e)));
                """, environmentId, contextPath);
    }
}
