package io.genos.portal.admin;

import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.data.value.ValueChangeMode;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import io.genos.portal.audit.AuditLog;
import jakarta.annotation.security.RolesAllowed;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/** The audit trail: who did what to which environment or user, when and why; newest first, filterable. Admins only. */
@Route("admin/audit")
@PageTitle("Audit · GenOS")
@RolesAllowed("ADMIN")
public class AuditView extends com.vaadin.flow.component.orderedlayout.VerticalLayout {

    static final int SHOWN = 500;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneId.systemDefault());

    private final AuditLog log;
    private final Grid<AuditLog.Entry> grid = new Grid<>();
    private final TextField filter = new TextField();

    public AuditView(AuditLog log) {
        this.log = log;
        setSizeFull();
        filter.setId("audit-filter");
        filter.setPlaceholder("Filter: a user, an environment, a word of the reason…");
        filter.setWidth("28em");
        filter.setClearButtonVisible(true);
        filter.setValueChangeMode(ValueChangeMode.LAZY);
        filter.addValueChangeListener(e -> refresh());
        grid.setId("audit");
        grid.addThemeVariants(GridVariant.LUMO_COMPACT, GridVariant.LUMO_ROW_STRIPES);
        grid.addColumn(e -> TIME.format(e.at())).setHeader("When").setAutoWidth(true).setFlexGrow(0);
        grid.addColumn(AuditLog.Entry::actor).setHeader("Who").setAutoWidth(true).setFlexGrow(0);
        grid.addColumn(AuditLog.Entry::action).setHeader("What").setAutoWidth(true).setFlexGrow(0);
        grid.addColumn(AuditLog.Entry::subject).setHeader("On").setAutoWidth(true).setFlexGrow(0);
        grid.addColumn(AuditLog.Entry::detail).setHeader("Why / detail").setFlexGrow(1);
        add(new H3("Audit"), filter, grid);
        setFlexGrow(1, grid);
        refresh();
    }

    private void refresh() {
        grid.setItems(log.recent(filter.getValue(), SHOWN));
    }
}
