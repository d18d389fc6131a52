/**
 * Terminals for environments without a display (desktop none): the WebSocket endpoint {@code /terminal} that, for
 * the environment's owner or an admin, attaches to the environment's tmux session through the orchestrator, and
 * relays keystrokes, output and resizes between it and xterm.js in the session view.
 */
package io.genos.portal.terminal;
