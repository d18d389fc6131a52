/**
 * The session view: one environment, from provisioning progress to its live desktop streamed over the Guacamole
 * tunnel, with keyboard and mouse; and the tunnel's owner-or-admin authorisation.
 */
package io.genos.portal.session;
