/** Health ({@code /actuator/health}: dockerd, libvirtd, the database) and GenOS's own Prometheus metrics. */
package io.genos.portal.metrics;
