/**
 * The {@code genos compose} command line ({@link io.genos.composer.cli.ComposeCli}): composes a spec from the turns
 * given as arguments and prints it as one JSON object ({@code --json}) or as YAML for a person, with the exit
 * statuses of {@code shared/contracts/compose-cli.md}. No Spring, so that it starts fast.
 */
package io.genos.composer.cli;
