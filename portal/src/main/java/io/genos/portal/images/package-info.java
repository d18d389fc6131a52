/**
 * Images an admin registers (a qcow2 GenOS cannot build, e.g. Windows): their validation, storage and audit, and the
 * current catalog (built-in plus registered) that the chat, the composer and launches use.
 */
package io.genos.portal.images;
