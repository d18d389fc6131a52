package io.genos.composer;

import java.util.List;

/**
 * The port that turns a conversation into a spec. Implementations are pure functions of the turns: the caller (the
 * portal's session, the CLI) keeps the conversation and sends all of it each time; later turns refine what the
 * earlier ones asked for ("make it 8 GB", "drop the GPU", "use a VM instead").
 */
public interface Composer {

    /**
     * Composes the environment the turns ask for.
     *
     * @param turns the user's messages, oldest first; at least one, none blank
     * @return the spec as understood (never clamped to policy), every policy violation, and warnings
     * @throws NotAnEnvironmentRequestException when the conversation does not ask for an environment
     * @throws IllegalArgumentException when no turn is given or a turn is blank
     * @throws ComposerUnavailableException when a composer that needs an outside service cannot reach it
     */
    ComposeResult compose(List<String> turns);

    /**
     * The check every composer makes before reading anything: at least one turn, none blank.
     *
     * @throws IllegalArgumentException naming the empty turn
     */
    static void requireTurns(List<String> turns) {
        if (turns == null || turns.isEmpty()) {
            throw new IllegalArgumentException("no turn given: say what environment you need");
        }
        for (int i = 0; i < turns.size(); i++) {
            if (turns.get(i) == null || turns.get(i).isBlank()) {
                throw new IllegalArgumentException("turn " + (i + 1) + " is empty");
            }
        }
    }
}
