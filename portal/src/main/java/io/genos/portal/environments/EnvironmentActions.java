package io.genos.portal.environments;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.confirmdialog.ConfirmDialog;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.notification.NotificationVariant;
import io.genos.orchestrator.Environment;
import io.genos.orchestrator.EnvironmentState;
import io.genos.orchestrator.Environments;
import io.genos.portal.security.CurrentUser;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.springframework.stereotype.Component;

/**
 * Connect, stop, start, destroy: the buttons an environment offers in its current state, each checked against the
 * owner-or-admin rule before the orchestrator is called. Slow actions run off the UI thread.
 */
@Component
public class EnvironmentActions {

    private final Environments environments;
    private final CurrentUser user;

    public EnvironmentActions(Environments environments, CurrentUser user) {
        this.environments = environments;
        this.user = user;
    }

    public List<Button> buttons(Environment env, Consumer<Environment> after) {
        List<Button> out = new ArrayList<>();
        String id = env.id();
        if (env.state() == EnvironmentState.RUNNING || env.state() == EnvironmentState.PROVISIONING
                || env.state() == EnvironmentState.REQUESTED) {
            Button connect = new Button("Connect", e -> e.getSource().getUI().ifPresent(ui -> ui.navigate("session/" + id)));
            connect.setId("connect-" + env.name());
            out.add(connect);
        }
        if (env.state() == EnvironmentState.RUNNING) {
            out.add(action("Stop", "stop-" + env.name(), env, after, () -> environments.stop(id, user.name())));
            Button reboot = new Button("Reboot");
            reboot.setId("reboot-" + env.name());
            reboot.addClickListener(e -> {
                ConfirmDialog dialog = new ConfirmDialog("Reboot " + env.name() + "?",
                        "Programs running in it are closed (a VM's guest is asked to shut down first); files stay.",
                        "Reboot", ok -> run(env, after, () -> environments.reboot(id, user.name())));
                dialog.setCancelable(true);
                dialog.setId("confirm-reboot");
                dialog.open();
            });
            out.add(reboot);
        }
        if (env.state() == EnvironmentState.STOPPED) {
            out.add(action("Start", "start-" + env.name(), env, after, () -> environments.start(id, user.name())));
        }
        if (env.state() != EnvironmentState.DESTROYED) {
            Button destroy = new Button("Destroy");
            destroy.setId("destroy-" + env.name());
            destroy.addThemeVariants(ButtonVariant.LUMO_ERROR);
            destroy.addClickListener(e -> {
                ConfirmDialog dialog = new ConfirmDialog("Destroy " + env.name() + "?",
                        "The environment and everything in it are deleted. This cannot be undone.", "Destroy",
                        ok -> run(env, after, () -> environments.destroy(id, user.name())));
                dialog.setCancelable(true);
                dialog.setConfirmButtonTheme("error primary");
                dialog.setId("confirm-destroy");
                dialog.open();
            });
            out.add(destroy);
        }
        return out;
    }

    private Button action(String label, String buttonId, Environment env, Consumer<Environment> after, Runnable call) {
        Button b = new Button(label, e -> run(env, after, call));
        b.setId(buttonId);
        return b;
    }

    private void run(Environment env, Consumer<Environment> after, Runnable call) {
        if (!user.mayAccess(env.owner())) {
            Notification.show("Not allowed: this environment belongs to another user.", 5000, Notification.Position.MIDDLE)
                    .addThemeVariants(NotificationVariant.LUMO_ERROR);
            return;
        }
        UI ui = UI.getCurrent();
        try {
            call.run();
        } catch (RuntimeException ex) {
            Notification.show(ex.getMessage(), 8000, Notification.Position.MIDDLE)
                    .addThemeVariants(NotificationVariant.LUMO_ERROR);
        }
        environments.find(env.id()).ifPresent(fresh -> ui.access(() -> after.accept(fresh)));
    }
}
