/**
 * Quotas per role and per user, from configuration ({@code genos.quotas.*}); the orchestrator enforces them at launch,
 * before anything is created.
 */
package io.genos.portal.quota;
