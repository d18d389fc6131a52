/**
 * The application service: every action on an environment, for every door (views, and later REST and the CLI), with
 * its rules in one place: the composer's and policy's violations, catalog resolution, the runtime's refusals, quota,
 * the owner-or-admin rule. Views call this, never a runtime, policy or the store (checked by {@code LayeringTest}).
 */
package io.genos.portal.service;
