package io.genos.portal.admin;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.H4;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.notification.NotificationVariant;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextField;
import io.genos.orchestrator.ImageCache;
import io.genos.orchestrator.OrchestratorException;
import io.genos.portal.service.EnvironmentService;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * The image cache for admins: the composed layers (what, size, built, last used, in use by), pinning, removal of
 * unused ones, and pre-building a composition many users ask for.
 */
class ComposedImagesPanel extends VerticalLayout {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")
            .withZone(ZoneId.systemDefault());

    private final ImageCache cache;
    private final Grid<ImageCache.Entry> grid = new Grid<>();
    private final Paragraph summary = new Paragraph();

    ComposedImagesPanel(ImageCache cache, EnvironmentService service, io.genos.portal.service.Actor actor) {
        this.cache = cache;
        setPadding(false);
        summary.setId("composed-summary");
        grid.setId("composed-images");
        grid.addColumn(e -> e.image().contents()).setHeader("Layer").setAutoWidth(true);
        grid.addColumn(e -> e.image().layer()).setHeader("Kind").setAutoWidth(true);
        grid.addColumn(e -> mib(e.image().uniqueBytes())).setHeader("Size").setAutoWidth(true);
        grid.addColumn(e -> TIME.format(e.image().builtAt())).setHeader("Built").setAutoWidth(true);
        grid.addColumn(e -> TIME.format(e.lastUsed())).setHeader("Last used").setAutoWidth(true);
        grid.addColumn(e -> e.usedByNames().isEmpty() ? "—" : String.join(", ", e.usedByNames()))
                .setHeader("In use by").setAutoWidth(true);
        grid.addColumn(e -> e.image().ref()).setHeader("Image").setAutoWidth(true);
        grid.addComponentColumn(this::actions).setHeader("").setAutoWidth(true);
        grid.setAllRowsVisible(true);

        TextField words = new TextField();
        words.setId("prebuild-words");
        words.setPlaceholder("a Debian KDE desktop with gimp");
        words.setWidth("28em");
        Button prebuild = new Button("Pre-build", e -> {
            try {
                List<String> toBuild = service.prebuild(words.getValue(), actor);
                Notification.show(toBuild.isEmpty() ? "Already built; its layers are pinned now."
                        : "Building in the background: " + String.join(", then ", toBuild)
                                + ". Refresh to see the layers; they are pinned.", 8000, Notification.Position.MIDDLE);
                words.clear();
            } catch (RuntimeException ex) {
                Notification.show("Not pre-built: " + ex.getMessage(), 10000, Notification.Position.MIDDLE)
                        .addThemeVariants(NotificationVariant.LUMO_ERROR);
            }
        });
        prebuild.setId("prebuild");
        Button refresh = new Button("Refresh", e -> refresh());
        refresh.setId("composed-refresh");
        Paragraph about = new Paragraph("Desktops and packages asked for are built as layers on the catalog's images and "
                + "kept for every later launch. Beyond the budget, the least recently used layers that are not pinned "
                + "and that nothing runs from are removed.");
        about.getStyle().set("color", "var(--lumo-secondary-text-color)");
        add(new H4("Composed images"), about, summary, grid, new HorizontalLayout(words, prebuild, refresh));
        refresh();
    }

    private HorizontalLayout actions(ImageCache.Entry e) {
        String key = e.image().ref().substring(e.image().ref().indexOf(':') + 1);
        Button pin = new Button(e.pinned() ? "Unpin" : "Pin", ev -> {
            cache.pin(e.image().ref(), !e.pinned());
            refresh();
        });
        pin.setId("pin-" + key);
        pin.addThemeVariants(ButtonVariant.LUMO_SMALL);
        Button remove = new Button("Remove", ev -> {
            try {
                cache.remove(e.image().ref());
                refresh();
            } catch (OrchestratorException ex) {
                Notification.show(ex.getMessage(), 10000, Notification.Position.MIDDLE)
                        .addThemeVariants(NotificationVariant.LUMO_ERROR);
            }
        });
        remove.setId("remove-layer-" + key);
        remove.addThemeVariants(ButtonVariant.LUMO_ERROR, ButtonVariant.LUMO_SMALL);
        return new HorizontalLayout(pin, remove);
    }

    private void refresh() {
        try {
            List<ImageCache.Entry> entries = cache.list();
            grid.setItems(entries);
            long total = entries.stream().mapToLong(e -> e.image().uniqueBytes()).sum();
            summary.setText(entries.size() + " layer" + (entries.size() == 1 ? "" : "s") + ", " + mib(total) + " of the "
                    + mib(cache.budgetBytes()) + " budget; " + entries.stream().filter(ImageCache.Entry::pinned).count()
                    + " pinned.");
        } catch (RuntimeException ex) {
            summary.setText("The composed images cannot be listed now: " + ex.getMessage());
        }
    }

    private static String mib(long bytes) {
        return bytes >= 10L * 1024 * 1024 * 1024 ? String.format(Locale.ROOT, "%.1f GiB", bytes / 1073741824.0)
                : bytes / (1024 * 1024) + " MiB";
    }
}
