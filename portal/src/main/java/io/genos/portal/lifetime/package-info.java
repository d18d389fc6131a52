/** Lifetimes: environments past their TTL are destroyed on a schedule (idle stop comes with issue 5). */
package io.genos.portal.lifetime;
