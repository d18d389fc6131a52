/**
 * The GenOS portal: the Spring Boot + Vaadin application that assembles the composer, the orchestrator and
 * streaming, signs people in, and gives them the chat, the session view and their environments.
 */
package io.genos.portal;
