package io.genos.portal.session;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.confirmdialog.ConfirmDialog;
import com.vaadin.flow.component.details.Details;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextField;
import io.genos.orchestrator.Environment;
import io.genos.orchestrator.EnvironmentState;
import io.genos.portal.service.Actor;
import io.genos.portal.service.EnvironmentService;
import io.genos.orchestrator.Snapshot;
import io.genos.portal.security.CurrentUser;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The environment's snapshots: take one under a name, list them, revert to one (after a confirmation: what happened
 * since is lost) or delete one. Offered while the environment is running or stopped. Taking and reverting can take
 * seconds (a VM's memory, a container's commit), so they run off the UI thread; the view's poll brings the answer.
 */
final class SnapshotsPanel extends Details {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneId.systemDefault());

    private final EnvironmentService environments;
    private final CurrentUser user;
    private final Consumer<Environment> afterRevert;
    private final TextField name = new TextField();
    private final Button take = new Button("Take snapshot");
    private final Div list = new Div();
    private final Span status = new Span();
    private Environment env;
    private EnvironmentState listedFor;
    private boolean busy;

    SnapshotsPanel(EnvironmentService environments, CurrentUser user, Consumer<Environment> afterRevert) {
        super("Snapshots");
        this.environments = environments;
        this.user = user;
        this.afterRevert = afterRevert;
        setId("env-snapshots");
        name.setId("snapshot-name");
        name.setPlaceholder("name, e.g. before-upgrade");
        name.setAriaLabel("Snapshot name");
        name.setWidth("16em");
        take.setId("snapshot-take");
        take.addClickListener(e -> takeSnapshot());
        status.setId("snapshot-status");
        status.getStyle().set("font-size", "var(--lumo-font-size-s)");
        list.setId("snapshot-list");
        HorizontalLayout form = new HorizontalLayout(name, take, status);
        form.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.BASELINE);
        VerticalLayout content = new VerticalLayout(form, list);
        content.setPadding(false);
        content.setSpacing(false);
        add(content);
    }

    /** Follows the environment: visible while running or stopped, the list re-read when its state changed. */
    void show(Environment environment) {
        boolean sameState = env != null && env.id().equals(environment.id()) && environment.state() == listedFor;
        env = environment;
        boolean offered = (environment.state() == EnvironmentState.RUNNING || environment.state() == EnvironmentState.STOPPED)
                && user.mayAccess(environment.owner());
        setVisible(offered);
        if (offered && !sameState && !busy) {
            reload();
        }
    }

    private void reload() {
        listedFor = env.state();
        list.removeAll();
        List<Snapshot> snapshots;
        try {
            snapshots = environments.snapshots(env.id(), user.actor());
        } catch (RuntimeException ex) {
            list.add(new Span(ex.getMessage()));
            take.setEnabled(false);
            return;
        }
        take.setEnabled(!busy);
        if (snapshots.isEmpty()) {
            Span none = new Span("No snapshots yet.");
            none.getStyle().set("color", "var(--lumo-secondary-text-color)");
            list.add(none);
        }
        for (Snapshot s : snapshots) {
            Span label = new Span(s.name());
            label.getStyle().set("font-weight", "600").set("min-width", "10em");
            Span when = new Span(TIME.format(s.createdAt()) + (s.description() == null ? "" : " · " + s.description()));
            when.getStyle().set("color", "var(--lumo-secondary-text-color)").set("font-size", "var(--lumo-font-size-s)");
            Button revert = new Button("Revert", e -> confirmRevert(s.name()));
            revert.setId("snapshot-revert-" + s.name());
            revert.setEnabled(!busy);
            Button delete = new Button("Delete", e -> run("Deleting " + s.name() + "…", actor -> {
                environments.deleteSnapshot(env.id(), s.name(), actor);
                return "Deleted " + s.name() + ".";
            }, false));
            delete.setId("snapshot-delete-" + s.name());
            delete.addThemeVariants(ButtonVariant.LUMO_TERTIARY, ButtonVariant.LUMO_ERROR);
            delete.setEnabled(!busy);
            HorizontalLayout row = new HorizontalLayout(label, when, revert, delete);
            row.addClassName("snapshot");
            row.getElement().setAttribute("data-name", s.name());
            row.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.CENTER);
            list.add(row);
        }
    }

    private void takeSnapshot() {
        String snapshot = name.getValue().trim();
        try {
            Snapshot.checkName(snapshot);
        } catch (RuntimeException ex) {
            say(ex.getMessage(), false);
            return;
        }
        run("Taking snapshot " + snapshot + "…", actor -> {
            environments.snapshot(env.id(), snapshot, actor);
            return "Snapshot " + snapshot + " taken.";
        }, false);
        name.clear();
    }

    private void confirmRevert(String snapshot) {
        ConfirmDialog dialog = new ConfirmDialog("Revert " + env.name() + " to " + snapshot + "?",
                "The environment goes back to how it was when the snapshot was taken; what changed since is lost "
                        + "(take a snapshot first to keep it).", "Revert",
                ok -> run("Reverting to " + snapshot + "…", actor -> {
                    environments.revert(env.id(), snapshot, actor);
                    return "Reverted to " + snapshot + ".";
                }, true));
        dialog.setCancelable(true);
        dialog.setConfirmButtonTheme("error primary");
        dialog.setId("confirm-revert");
        dialog.open();
    }

    /**
     * Runs {@code work} (given the acting user) on a virtual thread with the controls disabled; says its answer
     * or its refusal.
     */
    private void run(String doing, Function<Actor, String> work, boolean reverted) {
        if (busy || env == null) {
            return;
        }
        if (!user.mayAccess(env.owner())) {
            say("Not allowed: this environment belongs to another user.", false);
            return;
        }
        UI ui = UI.getCurrent();
        String id = env.id();
        // Read here, on the UI thread: the security context is not on the worker's.
        Actor actor = user.actor();
        busy = true;
        take.setEnabled(false);
        list.getChildren().forEach(c -> c.getElement().setAttribute("data-busy", ""));
        say(doing, true);
        Thread.ofVirtual().name("genos-snapshot-" + id).start(() -> {
            String answer;
            boolean ok;
            try {
                answer = work.apply(actor);
                ok = true;
            } catch (RuntimeException ex) {
                answer = ex.getMessage();
                ok = false;
            }
            String said = answer;
            boolean succeeded = ok;
            ui.access(() -> {
                busy = false;
                say(said, succeeded);
                environments.find(id, actor).ifPresent(fresh -> {
                    env = fresh;
                    try {
                        if (reverted && succeeded) {
                            afterRevert.accept(fresh);
                        }
                    } finally {
                        show(fresh);
                        reload();
                    }
                });
            });
        });
    }

    private void say(String text, boolean ok) {
        status.setText(text);
        status.getStyle().set("color", ok ? "var(--lumo-secondary-text-color)" : "var(--lumo-error-text-color)");
        status.getElement().setAttribute("data-ok", Boolean.toString(ok).toLowerCase(Locale.ROOT));
    }
}
