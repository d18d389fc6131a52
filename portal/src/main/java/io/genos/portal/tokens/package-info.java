/** The API tokens view: a user's personal tokens for scripts and the CLI. */
package io.genos.portal.tokens;
