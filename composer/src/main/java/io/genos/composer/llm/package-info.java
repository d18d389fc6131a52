/**
 * The LLM composer: {@link io.genos.composer.llm.LlmComposer} asks an OpenAI-compatible endpoint or Ollama, through
 * LangChain4j, for the spec as one JSON object, reads the answer as untrusted input (strict parsing, the contract's
 * JSON schema, bounded retries with the errors listed), passes the result through policy like anything a user typed,
 * and logs every prompt and answer, secrets redacted, to {@code genos.audit.llm}. {@link io.genos.composer.llm.LlmSettings}
 * is its configuration, a plain record the CLI reads from {@code GENOS_LLM_*} variables. Nothing on the offline path
 * loads this package.
 */
package io.genos.composer.llm;
