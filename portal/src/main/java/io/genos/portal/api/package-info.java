/**
 * The REST API under {@code /api/v1}: thin controllers over the application service (and the user directory, the
 * image registry, the audit log for admins), problem+json errors, server-sent events, the OpenAPI document.
 */
package io.genos.portal.api;
