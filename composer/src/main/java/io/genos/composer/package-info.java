/**
 * The composer: turns a conversation (the user's turns, oldest first) into an
 * {@link io.genos.spec.EnvironmentSpec} with the policy violations and the warnings a user should see. The port is
 * {@link io.genos.composer.Composer}; {@link io.genos.composer.OfflineComposer} is the embedded, deterministic
 * default, {@link io.genos.composer.llm.LlmComposer} asks a configured LLM instead, and
 * {@link io.genos.composer.SpecDiff} tells the portal what a turn changed. Conversation state stays with the caller:
 * composing is a pure function of the turns.
 */
package io.genos.composer;
