/** The admin console: local users and their roles (quotas follow the roles, see configs/README.md). */
package io.genos.portal.admin;
