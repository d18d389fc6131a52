/**
 * Sign-in and who may do what: local users in the embedded database (the first admin is created on first start),
 * the Spring Security chain with Vaadin's configurer, and the owner-or-admin rule for environments.
 */
package io.genos.portal.security;
