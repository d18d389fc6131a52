package io.genos.portal.security;

import io.genos.portal.audit.AuditLog;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.JdbcUserDetailsManager;
import org.springframework.stereotype.Component;

/**
 * A user changes their own password: the current one is checked first (a wrong one counts as a failed sign-in, so the
 * dialog cannot be used to guess it), the new one must be 10 to 200 characters and differ from the name and the old
 * one; the change is audited.
 */
@Component
public class Passwords {
    public static final int MIN_LENGTH = 10;
    public static final int MAX_LENGTH = 200;

    private final JdbcUserDetailsManager users;
    private final PasswordEncoder encoder;
    private final AuditLog audit;
    private final SignInGuard guard;

    public Passwords(JdbcUserDetailsManager users, PasswordEncoder encoder, AuditLog audit, SignInGuard guard) {
        this.users = users;
        this.encoder = encoder;
        this.audit = audit;
        this.guard = guard;
    }

    /**
     * @throws IllegalArgumentException saying what is wrong (nothing is changed)
     */
    public void change(String username, String current, String next, String repeated) {
        if (guard.lockedUntil(username) != null) {
            throw new IllegalArgumentException("Too many failed attempts: try again later.");
        }
        UserDetails user;
        try {
            user = users.loadUserByUsername(username);
        } catch (UsernameNotFoundException e) {
            throw new IllegalArgumentException("There is no user " + username + ".");
        }
        if (current == null || !encoder.matches(current, user.getPassword())) {
            guard.passwordCheckFailed(username, "the current password was wrong in the password change");
            throw new IllegalArgumentException("The current password is wrong.");
        }
        if (next == null || next.length() < MIN_LENGTH || next.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("A password is " + MIN_LENGTH + " to " + MAX_LENGTH + " characters.");
        }
        if (!next.equals(repeated)) {
            throw new IllegalArgumentException("The new password and its repetition differ.");
        }
        if (next.equals(current) || next.equalsIgnoreCase(username)) {
            throw new IllegalArgumentException("Choose a password that is neither the old one nor your name.");
        }
        users.updateUser(User.withUserDetails(user).password(encoder.encode(next)).build());
        audit.record(username, "password changed", "user " + username, null);
    }
}
