package io.genos.composer.bench;

import io.genos.composer.ComposeResult;
import io.genos.composer.OfflineComposer;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Time per turn of the offline composer, warm. Run after {@code mvn -pl composer test-compile}:
 * <pre>
 * java -cp composer/target/test-classes:composer/target/classes:$(cat composer/target/test-classpath.txt) \
 *     io.genos.composer.bench.ComposeBenchmark
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode({Mode.AverageTime, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ComposeBenchmark {

    private final OfflineComposer composer = new OfflineComposer();

    private static final List<String> ONE_TURN = List.of(
            "A GNOME workstation with 6 vCPUs, 12GB, 100GB disk, python, git and docker, only allowed to reach "
                    + "github.com and pypi.org, expose port 8080, for 3 hours, stop after 20 minutes idle");
    private static final List<String> FOUR_TURNS = List.of("debian xfce box with firefox", "add vim and tmux",
            "double the memory and drop firefox", "and make it a VM instead");

    @Benchmark
    public ComposeResult oneLongTurn() {
        return composer.compose(ONE_TURN);
    }

    /** Four turns: the whole conversation is read again at each call, so this is four turns' work. */
    @Benchmark
    public ComposeResult fourTurnConversation() {
        return composer.compose(FOUR_TURNS);
    }

    public static void main(String[] args) throws RunnerException {
        new Runner(new OptionsBuilder().include(ComposeBenchmark.class.getSimpleName()).build()).run();
    }
}
