/**
 * Profile {@code keycloak}: the browser signs in through Keycloak (OIDC authorization code flow, a confidential client),
 * and signs out of Keycloak too (RP-initiated logout). The Keycloak identity becomes the principal the portal already
 * knows: its name is {@code preferred_username}, the realm roles {@code genos-user}/{@code genos-admin} become
 * {@code ROLE_USER}/{@code ROLE_ADMIN}, the user's groups {@code GROUP_<group>} (quota classes,
 * {@code genos.quotas.groups.<group>.*}). Every signed-in session is checked against Keycloak every
 * {@code genos.sso.check-interval} (20 s) with a refresh-token grant: when Keycloak refuses it (the user was disabled,
 * or their Keycloak session ended) the user loses GenOS through {@code UserAccess.revoke}, their pages, display tunnels
 * and terminals at once. See configs/keycloak/README.md.
 */
package io.genos.portal.security.sso;
