package io.genos.portal.images;

import io.genos.orchestrator.Environment;
import io.genos.orchestrator.EnvironmentState;
import io.genos.orchestrator.Environments;
import io.genos.spec.Desktop;
import io.genos.spec.Kind;
import io.genos.spec.Os;
import io.genos.spec.Resources;
import io.genos.spec.Streaming.Protocol;
import io.genos.spec.catalog.Catalog;
import io.genos.spec.catalog.CatalogImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The catalog as it is now: the built-in images and the ones admins registered, read from the database at each call
 * (so that a registration is seen at once, by every portal on the same database, without a restart). Registrations and
 * removals are checked, stored and audited (who, what, when) here.
 */
@Component
public class ImageRegistry {
    private static final Logger log = LoggerFactory.getLogger(ImageRegistry.class);
    private static final String COLUMNS = "id, kind, os_family, os_distro, os_version, desktop, protocol, reference, "
            + "rdp_username, rdp_password, cpus, memory_mib, disk_gib, description, registered_by, registered_at";

    /** One registered image with who registered it and, for RDP, the guest's user and password. */
    public record Registered(CatalogImage image, String rdpUsername, String rdpPassword, String registeredBy,
            Instant registeredAt) {}

    /** One line of the audit: who did what to which image, when. */
    public record AuditEntry(Instant at, String actor, String action, String imageId, String detail) {}

    /** One catalog image as the admin view lists it. */
    public record Listed(CatalogImage image, boolean builtIn, boolean present, String registeredBy, Instant registeredAt) {}

    private final Catalog builtIn;
    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final Environments environments;
    private final Path vmImagesDir;
    private final Clock clock = Clock.systemUTC();
    private volatile List<CatalogImage> lastRegistered;
    private volatile Catalog last;

    public ImageRegistry(Catalog builtIn, JdbcClient jdbc, PlatformTransactionManager transactions,
            Environments environments,
            @Value("${genos.orchestrator.libvirt.images-dir:/var/lib/genos/images}") Path vmImagesDir) {
        this.builtIn = builtIn;
        this.jdbc = jdbc;
        this.tx = new TransactionTemplate(transactions);
        this.environments = environments;
        this.vmImagesDir = vmImagesDir;
    }

    /** The catalog now: built-in images first, then the registered ones in the order they were registered. */
    public Catalog current() {
        List<CatalogImage> registered = registered().stream().map(Registered::image).toList();
        Catalog c = last;
        if (c != null && registered.equals(lastRegistered)) {
            return c;
        }
        List<CatalogImage> all = new ArrayList<>(builtIn.images());
        all.addAll(registered);
        c = builtIn.withImages(all);
        lastRegistered = registered;
        last = c;
        return c;
    }

    public List<Registered> registered() {
        return jdbc.sql("select " + COLUMNS + " from genos_registered_image order by registered_at, id")
                .query(ImageRegistry::row).list();
    }

    public Optional<Registered> find(String id) {
        return jdbc.sql("select " + COLUMNS + " from genos_registered_image where id = ?").param(id)
                .query(ImageRegistry::row).optional();
    }

    /**
     * Checks and stores a registration, and audits it.
     *
     * @throws InvalidImageException when it is refused (nothing is stored)
     */
    public CatalogImage register(ImageForm form, String actor) {
        CatalogImage image = ImageCheck.check(form, current());
        String user = form.rdpUsername() == null || form.rdpUsername().isBlank() ? null : form.rdpUsername().strip();
        String password = form.rdpPassword() == null || form.rdpPassword().isEmpty() ? null : form.rdpPassword();
        Instant now = clock.instant();
        try {
            tx.executeWithoutResult(s -> {
                jdbc.sql("insert into genos_registered_image (" + COLUMNS + ") values "
                                + "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                        .params(image.id(), image.kind().json(), image.os().family(), image.os().distro(),
                                image.os().version(), image.desktop().json(), image.protocols().getFirst().json(),
                                image.reference(), user, password, image.defaults().cpus(),
                                image.defaults().memoryMiB(), image.defaults().diskGiB(), image.description(), actor,
                                ts(now))
                        .update();
                audit(now, actor, "registered", image.id(), image.reference() + " (" + image.protocols().getFirst().json()
                        + ", " + image.os().distro() + (image.os().version() == null ? "" : " " + image.os().version())
                        + ")");
            });
        } catch (org.springframework.dao.DuplicateKeyException e) {
            throw new InvalidImageException("There is already an image " + image.id() + " in the catalog: choose another id.");
        }
        log.info("{} registered the image {} ({})", actor, image.id(), image.reference());
        return image;
    }

    /**
     * Removes a registered image from the catalog (its file stays where it is), and audits it. Refused for built-in
     * images and while any environment that is not destroyed uses it.
     *
     * @throws InvalidImageException when it is refused (nothing changes)
     */
    public void remove(String id, String actor) {
        if (builtIn.find(id).isPresent()) {
            throw new InvalidImageException(id + " is built into GenOS and cannot be removed.");
        }
        if (find(id).isEmpty()) {
            throw new InvalidImageException("There is no registered image " + id + ".");
        }
        List<Environment> using = environments.listAll().stream()
                .filter(e -> id.equals(e.imageId()) && e.state() != EnvironmentState.DESTROYED).toList();
        if (!using.isEmpty()) {
            throw new InvalidImageException(id + " is used by " + using.size() + " environment"
                    + (using.size() == 1 ? "" : "s") + " (" + String.join(", ", using.stream()
                            .map(e -> e.owner() + "/" + e.name() + " " + e.state().name().toLowerCase(Locale.ROOT))
                            .toList()) + "): destroy " + (using.size() == 1 ? "it" : "them") + " first.");
        }
        Instant now = clock.instant();
        tx.executeWithoutResult(s -> {
            jdbc.sql("delete from genos_registered_image where id = ?").param(id).update();
            audit(now, actor, "removed", id, null);
        });
        log.info("{} removed the image {}", actor, id);
    }

    /** The audit, newest first. */
    public List<AuditEntry> audit() {
        return jdbc.sql("select occurred_at, actor, action, image_id, detail from genos_image_audit order by id desc")
                .query((rs, n) -> new AuditEntry(instant(rs, "occurred_at"), rs.getString("actor"),
                        rs.getString("action"), rs.getString("image_id"), rs.getString("detail")))
                .list();
    }

    /** Every image of the current catalog, with whether it is built in and whether its files are on this host. */
    public List<Listed> list() {
        List<Listed> out = new ArrayList<>();
        for (CatalogImage i : builtIn.images()) {
            out.add(new Listed(i, true, present(i), null, null));
        }
        for (Registered r : registered()) {
            out.add(new Listed(r.image(), false, present(r.image()), r.registeredBy(), r.registeredAt()));
        }
        return out;
    }

    /** Whether an image's files are on this host: its qcow2 for a VM, its Docker image for a container. */
    boolean present(CatalogImage image) {
        if (image.kind() == Kind.VM) {
            Path disk = image.reference().startsWith("/") ? Path.of(image.reference())
                    : vmImagesDir.resolve(image.reference()).resolve("disk.qcow2");
            return Files.isRegularFile(disk) && Files.isReadable(disk);
        }
        try {
            Process p = new ProcessBuilder("docker", "image", "inspect", "--format", "{{.Id}}", image.reference())
                    .redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (java.io.IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void audit(Instant at, String actor, String action, String imageId, String detail) {
        jdbc.sql("insert into genos_image_audit (occurred_at, actor, action, image_id, detail) values (?, ?, ?, ?, ?)")
                .params(ts(at), actor, action, imageId, detail).update();
    }

    private static Registered row(ResultSet rs, int n) throws SQLException {
        Kind kind = Kind.fromJson(rs.getString("kind"));
        Desktop desktop = Desktop.fromJson(rs.getString("desktop"));
        CatalogImage image = new CatalogImage(rs.getString("id"), kind,
                new Os(rs.getString("os_family"), rs.getString("os_distro"), rs.getString("os_version")), desktop,
                List.of(Protocol.valueOf(rs.getString("protocol").toUpperCase(Locale.ROOT))),
                new Resources(rs.getInt("cpus"), rs.getInt("memory_mib"), rs.getInt("disk_gib"), null), List.of(),
                rs.getString("reference"), kind == Kind.CONTAINER && desktop != Desktop.NONE ? ImageCheck.DISPLAY_PORT : 0,
                rs.getString("description"), true);
        return new Registered(image, rs.getString("rdp_username"), rs.getString("rdp_password"),
                rs.getString("registered_by"), instant(rs, "registered_at"));
    }

    private static OffsetDateTime ts(Instant i) {
        return i.atOffset(ZoneOffset.UTC);
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }
}
