/**
 * Quotas per user, per group (quota classes: the identity provider's groups, profile {@code keycloak}) and per role,
 * from configuration ({@code genos.quotas.*}); the orchestrator enforces them at launch, before anything is created.
 */
package io.genos.portal.quota;
