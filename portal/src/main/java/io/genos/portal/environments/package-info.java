/** "My environments" (all of them for an admin): state, connect, stop, start and destroy. */
package io.genos.portal.environments;
