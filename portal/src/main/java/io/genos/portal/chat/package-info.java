/**
 * The chat: a conversation becomes a spec card the user can check and edit, then Launch. The conversation lives
 * in the view (the portal session), the composer is a pure function of its turns, and policy is checked again on
 * the edited card before anything is provisioned.
 */
package io.genos.portal.chat;
