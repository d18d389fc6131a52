package io.genos.portal.api;

import io.genos.portal.api.ApiModel.AuditResponse;
import io.genos.portal.api.ApiModel.ImageResponse;
import io.genos.portal.api.ApiModel.UserResponse;
import io.genos.portal.audit.AuditLog;
import io.genos.portal.images.ImageRegistry;
import io.genos.portal.security.UserDirectory;
import io.genos.portal.service.NotAllowedException;
import java.util.List;
import java.util.Locale;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** What admins govern: users (list, add, enable, disable, delete), images (list) and the audit trail (read). */
@RestController
@RequestMapping(path = "/api/v1/admin", produces = "application/json")
class AdminApi {

    /** A user to add: name, password (10 to 200 characters) and role ({@code USER} or {@code ADMIN}). */
    record NewUser(String name, String password, String role) {}

    private final UserDirectory users;
    private final ImageRegistry images;
    private final AuditLog audit;

    AdminApi(UserDirectory users, ImageRegistry images, AuditLog audit) {
        this.users = users;
        this.images = images;
        this.audit = audit;
    }

    @io.swagger.v3.oas.annotations.Operation(operationId = "listUsers", summary = "Users (admins)")
    @GetMapping("/users")
    List<UserResponse> users(Authentication auth) {
        return users.list(Api.actor(auth)).stream().map(u -> new UserResponse(u.username(), u.enabled(), u.admin()))
                .toList();
    }

    @io.swagger.v3.oas.annotations.Operation(operationId = "addUser", summary = "Add a user (admins)")
    @PostMapping("/users")
    @ResponseStatus(HttpStatus.CREATED)
    UserResponse addUser(@RequestBody NewUser user, Authentication auth) {
        String role = user.role() == null ? "USER" : user.role().toUpperCase(Locale.ROOT);
        users.create(user.name(), user.password(), role, Api.actor(auth));
        return new UserResponse(user.name(), true, role.equals("ADMIN"));
    }

    /** Disables a user: their pages, tunnels, terminals, event streams and tokens end now. */
    @io.swagger.v3.oas.annotations.Operation(operationId = "disableUser", summary = "Disable a user: their access ends now (admins)")
    @PostMapping("/users/{name}/disable")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void disable(@PathVariable String name, Authentication auth) {
        users.setEnabled(name, false, Api.actor(auth));
    }

    @io.swagger.v3.oas.annotations.Operation(operationId = "enableUser", summary = "Enable a user (admins)")
    @PostMapping("/users/{name}/enable")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void enable(@PathVariable String name, Authentication auth) {
        users.setEnabled(name, true, Api.actor(auth));
    }

    @io.swagger.v3.oas.annotations.Operation(operationId = "deleteUser", summary = "Delete a user (admins)")
    @DeleteMapping("/users/{name}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void delete(@PathVariable String name, Authentication auth) {
        users.delete(name, Api.actor(auth));
    }

    @io.swagger.v3.oas.annotations.Operation(operationId = "listImages", summary = "Images: the catalog and registered ones (admins)")
    @GetMapping("/images")
    List<ImageResponse> images(Authentication auth) {
        requireAdmin(auth);
        return images.list().stream().map(l -> new ImageResponse(l.image().id(), l.image().description(),
                l.image().kind().name().toLowerCase(Locale.ROOT), l.image().os() == null ? null : (l.image().os().distro() + " " + l.image().os().version()).strip(),
                l.builtIn(), l.present(), l.registeredBy())).toList();
    }

    /** The newest entries (at most {@code limit}, 1 to 1,000) whose text contains {@code q}, newest first. */
    @io.swagger.v3.oas.annotations.Operation(operationId = "readAudit", summary = "The audit trail, newest first (admins)")
    @GetMapping("/audit")
    List<AuditResponse> audit(@RequestParam(defaultValue = "") String q, @RequestParam(defaultValue = "100") int limit,
            Authentication auth) {
        requireAdmin(auth);
        if (q.length() > 200) {
            throw new IllegalArgumentException("q is at most 200 characters");
        }
        return audit.recent(q, Math.clamp(limit, 1, 1000)).stream()
                .map(e -> new AuditResponse(e.at(), e.actor(), e.action(), e.subject(), e.detail())).toList();
    }

    private static void requireAdmin(Authentication auth) {
        if (!Api.actor(auth).admin()) {
            throw new NotAllowedException("Only admins see this.");
        }
    }
}
