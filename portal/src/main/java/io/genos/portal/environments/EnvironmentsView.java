package io.genos.portal.environments;

import com.vaadin.flow.component.AttachEvent;
import com.vaadin.flow.component.DetachEvent;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.shared.Registration;
import io.genos.orchestrator.Environment;
import io.genos.orchestrator.EnvironmentState;
import io.genos.portal.service.EnvironmentService;
import io.genos.portal.security.CurrentUser;
import jakarta.annotation.security.PermitAll;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

@Route("environments")
@PageTitle("Environments · GenOS")
@PermitAll
public class EnvironmentsView extends VerticalLayout {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneId.systemDefault());

    private final EnvironmentService environments;
    private final CurrentUser user;
    private final Grid<Environment> grid = new Grid<>();
    private Registration poll;

    public EnvironmentsView(EnvironmentService environments, CurrentUser user, EnvironmentActions actions) {
        this.environments = environments;
        this.user = user;
        setSizeFull();
        grid.setId("environments");
        grid.addColumn(Environment::name).setHeader("Name").setAutoWidth(true);
        if (user.isAdmin()) {
            grid.addColumn(Environment::owner).setHeader("Owner").setAutoWidth(true);
        }
        grid.addColumn(Environment::imageId).setHeader("Image").setAutoWidth(true);
        grid.addColumn(e -> e.state().name().toLowerCase(Locale.ROOT)
                + (e.state() == EnvironmentState.FAILED && e.stateReason() != null ? ": " + e.stateReason() : ""))
                .setHeader("State").setAutoWidth(true);
        grid.addColumn(e -> TIME.format(e.createdAt())).setHeader("Created").setAutoWidth(true);
        grid.addColumn(e -> e.expiresAt() == null ? "" : TIME.format(e.expiresAt())).setHeader("Expires").setAutoWidth(true);
        grid.addComponentColumn(e -> new HorizontalLayout(actions.buttons(e, x -> refresh()).toArray(new Button[0])))
                .setHeader("").setAutoWidth(true);
        add(new H3(user.isAdmin() ? "Environments" : "My environments"), grid);
        setFlexGrow(1, grid);
        refresh();
    }

    private void refresh() {
        List<Environment> list = environments.list(user.actor()).stream()
                .filter(e -> e.state() != EnvironmentState.DESTROYED).toList();
        grid.setItems(list);
    }

    @Override
    protected void onAttach(AttachEvent event) {
        poll = event.getUI().addPollListener(e -> refresh());
        event.getUI().setPollInterval(2000);
    }

    @Override
    protected void onDetach(DetachEvent event) {
        if (poll != null) {
            poll.remove();
        }
        event.getUI().setPollInterval(-1);
    }
}
