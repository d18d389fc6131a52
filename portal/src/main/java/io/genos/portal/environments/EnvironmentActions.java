package io.genos.portal.environments;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.confirmdialog.ConfirmDialog;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.notification.NotificationVariant;
import io.genos.orchestrator.Environment;
import io.genos.orchestrator.EnvironmentState;
import io.genos.portal.service.Actor;
import io.genos.portal.service.EnvironmentService;
import io.genos.portal.security.CurrentUser;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.springframework.stereotype.Component;

/**
 * Connect, stop, start, reboot, destroy: the buttons an environment offers in its current state, each going through
 * the application service (the owner-or-admin rule, the quota on start).
 */
@Component
public class EnvironmentActions {

    private final EnvironmentService environments;
    private final CurrentUser user;

    public EnvironmentActions(EnvironmentService environments, CurrentUser user) {
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
            out.add(action("Stop", "stop-" + env.name(), env, after, a -> environments.stop(id, a)));
            Button reboot = new Button("Reboot");
            reboot.setId("reboot-" + env.name());
            reboot.addClickListener(e -> {
                ConfirmDialog dialog = new ConfirmDialog("Reboot " + env.name() + "?",
                        "Programs running in it are closed (a VM's guest is asked to shut down first); files stay.",
                        "Reboot", ok -> run(env, after, a -> environments.reboot(id, a)));
                dialog.setCancelable(true);
                dialog.setId("confirm-reboot");
                dialog.open();
            });
            out.add(reboot);
        }
        if (env.state() == EnvironmentState.STOPPED) {
            out.add(action("Start", "start-" + env.name(), env, after, a -> environments.start(id, a)));
        }
        if (env.state() != EnvironmentState.DESTROYED) {
            Button destroy = new Button("Destroy");
            destroy.setId("destroy-" + env.name());
            destroy.addThemeVariants(ButtonVariant.LUMO_ERROR);
            destroy.addClickListener(e -> {
                ConfirmDialog dialog = new ConfirmDialog("Destroy " + env.name() + "?",
                        "The environment and everything in it are deleted. This cannot be undone.", "Destroy",
                        ok -> run(env, after, a -> environments.destroy(id, a)));
                dialog.setCancelable(true);
                dialog.setConfirmButtonTheme("error primary");
                dialog.setId("confirm-destroy");
                dialog.open();
            });
            out.add(destroy);
        }
        return out;
    }

    private Button action(String label, String buttonId, Environment env, Consumer<Environment> after,
            Consumer<Actor> call) {
        Button b = new Button(label, e -> run(env, after, call));
        b.setId(buttonId);
        return b;
    }

    private void run(Environment env, Consumer<Environment> after, Consumer<Actor> call) {
        Actor actor = user.actor();
        UI ui = UI.getCurrent();
        try {
            call.accept(actor);
        } catch (RuntimeException ex) {
            Notification.show(ex.getMessage(), 8000, Notification.Position.MIDDLE)
                    .addThemeVariants(NotificationVariant.LUMO_ERROR);
        }
        environments.find(env.id(), actor).ifPresent(fresh -> ui.access(() -> after.accept(fresh)));
    }
}
