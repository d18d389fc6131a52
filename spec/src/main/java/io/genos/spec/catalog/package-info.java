/**
 * The image catalog: which images exist (container and VM), what they contain, and how a spec resolves to the
 * closest one, with a warning naming every substitution. The catalog file is {@code vm-images/catalog.json}.
 */
package io.genos.spec.catalog;
