/**
 * How the offline composer understands words: a tokenizer that knows numbers, versions, host names and resolutions;
 * number words and units; vocabularies of distributions, desktops and software (Debian package names, organised by
 * ecosystem in {@code software.txt}); and the reader that applies one turn to the draft spec, so that later turns
 * refine earlier ones. Nothing here is public API: {@link io.genos.composer.OfflineComposer} is the entry point.
 */
package io.genos.composer.internal;
