package io.genos.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.genos.spec.DisplayEndpoint;
import io.genos.spec.Kind;
import io.genos.spec.Network.Egress;
import io.genos.spec.Streaming.Protocol;
import io.genos.spec.catalog.Resolution;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The service's logic against a fake runtime (a real local socket as display) and a real in-memory H2. */
class EnvironmentsTest {
    private FakeRuntime runtime;
    private EnvironmentStore store;
    private Environments environments;
    private final List<Object> published = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        runtime = new FakeRuntime();
        store = EnvironmentStore.of(TestDatabase.inMemory("t" + UUID.randomUUID()));
        environments = new Environments(store, List.of(runtime), published::add,
                OrchestratorProperties.defaults().withDisplayTimeout(Duration.ofSeconds(2)));
    }

    @AfterEach
    void tearDown() throws Exception {
        environments.close();
        runtime.close();
    }

    private Environment awaitState(String id, EnvironmentState state) {
        await().atMost(Duration.ofSeconds(10)).until(() -> environments.find(id).orElseThrow().state() == state);
        return environments.find(id).orElseThrow();
    }

    @Test
    void launchReturnsRequestedAtOnceAndProvisionsToRunning() {
        Environment e = environments.launch(Specs.openbox("work", 2, 512, Egress.OPEN), "alice");

        assertThat(e.state()).isEqualTo(EnvironmentState.REQUESTED);
        assertThat(e.owner()).isEqualTo("alice");
        assertThat(e.name()).isEqualTo("work");
        assertThat(e.kind()).isEqualTo(Kind.CONTAINER);
        assertThat(e.displayPassword()).hasSize(8);
        assertThat(e.warnings()).containsExactly("fake warning");

        Environment running = awaitState(e.id(), EnvironmentState.RUNNING);
        assertThat(running.progress()).isEqualTo(100);
        assertThat(running.runtimeRef()).isEqualTo("c-" + e.id());
        assertThat(environments.display(e.id())).contains(
                new DisplayEndpoint(Protocol.VNC, "127.0.0.1", runtime.displayPort(), e.displayPassword()));
    }

    @Test
    void recordsAndPublishesEveryStateChangeInOrder() {
        Environment e = environments.launch(Specs.openbox("work", 1, 512, Egress.OPEN), "alice");
        awaitState(e.id(), EnvironmentState.RUNNING);
        environments.stop(e.id(), "bob");
        environments.start(e.id(), "alice");
        environments.destroy(e.id(), "admin");

        List<EnvironmentEvent> history = environments.history(e.id());
        assertThat(history).extracting(EnvironmentEvent::from, EnvironmentEvent::to, EnvironmentEvent::actor)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(null, EnvironmentState.REQUESTED, "alice"),
                        org.assertj.core.groups.Tuple.tuple(EnvironmentState.REQUESTED, EnvironmentState.PROVISIONING, "genos"),
                        org.assertj.core.groups.Tuple.tuple(EnvironmentState.PROVISIONING, EnvironmentState.RUNNING, "genos"),
                        org.assertj.core.groups.Tuple.tuple(EnvironmentState.RUNNING, EnvironmentState.STOPPED, "bob"),
                        org.assertj.core.groups.Tuple.tuple(EnvironmentState.STOPPED, EnvironmentState.RUNNING, "alice"),
                        org.assertj.core.groups.Tuple.tuple(EnvironmentState.RUNNING, EnvironmentState.DESTROYED, "admin"));
        assertThat(published).filteredOn(EnvironmentStateChanged.class::isInstance)
                .extracting(o -> ((EnvironmentStateChanged) o).to())
                .containsExactly(EnvironmentState.REQUESTED, EnvironmentState.PROVISIONING, EnvironmentState.RUNNING,
                        EnvironmentState.STOPPED, EnvironmentState.RUNNING, EnvironmentState.DESTROYED);
        assertThat(published).filteredOn(EnvironmentProgress.class::isInstance)
                .extracting(o -> ((EnvironmentProgress) o).text())
                .startsWith("creating the container", "starting", "waiting for the display");
        assertThat(runtime.calls).containsExactly("create " + e.id(), "start c-" + e.id(), "stop c-" + e.id(),
                "start c-" + e.id(), "destroy " + e.id());
    }

    @Test
    void aFailedCreateEndsFailedWithItsReasonAndCleansUp() {
        runtime.failCreateWith = "the image genos/nope:latest is not on this Docker host";
        Environment e = environments.launch(Specs.openbox("broken", 1, 512, Egress.OPEN), "alice");

        Environment failed = awaitState(e.id(), EnvironmentState.FAILED);
        assertThat(failed.stateReason()).isEqualTo("the image genos/nope:latest is not on this Docker host");
        assertThat(failed.runtimeRef()).isNull();
        assertThat(runtime.calls).contains("destroy " + e.id());
        assertThat(environments.display(e.id())).isEmpty();
    }

    @Test
    void aHeadlessEnvironmentIsRunningWithoutWaitingForADisplayAndHasNone() {
        runtime.headless = true;
        runtime.displayAnswers = false; // a probe would fail: nothing may wait for it
        Environment e = environments.launch(Specs.openbox("shell", 1, 512, Egress.OPEN), "alice");
        awaitState(e.id(), EnvironmentState.RUNNING);
        Environment running = environments.find(e.id()).orElseThrow();
        assertThat(running.stateReason()).isEqualTo("it runs (terminal only, no display)");
        assertThat(environments.display(e.id())).isEmpty();
        assertThatThrownBy(() -> environments.attachTerminal(e.id(), 80, 24, null))
                .isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> environments.attachTerminal(e.id(), 80, 24, new TerminalOutput() {
            @Override
            public void output(byte[] bytes) {}

            @Override
            public void closed(String reason) {}
        })).isInstanceOf(InvalidRequestException.class).hasMessageContaining("no terminal");
    }

    @Test
    void aDisplayThatNeverAnswersEndsFailedWithATimeoutReason() {
        runtime.displayAnswers = false;
        Environment e = environments.launch(Specs.openbox("mute", 1, 512, Egress.OPEN), "alice");

        Environment failed = awaitState(e.id(), EnvironmentState.FAILED);
        assertThat(failed.stateReason()).startsWith("the display did not answer within 2 s")
                .contains("not a VNC server");
        assertThat(runtime.running).isEmpty();
    }

    @Test
    void refusesASecondLiveEnvironmentWithTheSameNameAndChangesNothing() {
        Environment first = environments.launch(Specs.openbox("work", 1, 512, Egress.OPEN), "alice");

        assertThatThrownBy(() -> environments.launch(Specs.openbox("work", 1, 512, Egress.OPEN), "alice"))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessage("alice already has an environment named \"work\"; choose another name");
        assertThat(environments.listByOwner("alice")).extracting(Environment::id).containsExactly(first.id());
    }

    @Test
    void aNameIsFreeAgainOnceItsEnvironmentIsDestroyedAndForOtherOwners() {
        Environment first = environments.launch(Specs.openbox("work", 1, 512, Egress.OPEN), "alice");
        awaitState(first.id(), EnvironmentState.RUNNING);
        assertThat(environments.launch(Specs.openbox("work", 1, 512, Egress.OPEN), "bob").name()).isEqualTo("work");

        environments.destroy(first.id(), "alice");
        Environment second = environments.launch(Specs.openbox("work", 1, 512, Egress.OPEN), "alice");

        assertThat(second.name()).isEqualTo("work");
        assertThat(environments.listByOwner("alice")).hasSize(2);
        assertThat(environments.listAll()).hasSize(3);
    }

    @Test
    void givesAnUnnamedSpecAFreeNameFromItsImage() {
        Environment a = environments.launch(Specs.openbox(null, 1, 512, Egress.OPEN), "alice");
        Environment b = environments.launch(Specs.openbox(null, 1, 512, Egress.OPEN), "alice");

        assertThat(a.name()).isEqualTo("debian-openbox-1");
        assertThat(b.name()).isEqualTo("debian-openbox-2");
        assertThat(a.spec().name()).isEqualTo("debian-openbox-1");
    }

    @Test
    void refusesBadInputWithAClearMessageAndStoresNothing() {
        assertThatThrownBy(() -> environments.launch(Specs.openbox("x", 1, 512, Egress.OPEN), " "))
                .isInstanceOf(InvalidRequestException.class).hasMessage("an environment needs an owner");
        assertThatThrownBy(() -> environments.launch(Specs.openbox("bad/name", 1, 512, Egress.OPEN), "alice"))
                .isInstanceOf(InvalidRequestException.class).hasMessageStartingWith("the name \"bad/name\" is not allowed");
        assertThatThrownBy(() -> environments.launch(
                        Specs.resolution("x", 1, 512, Egress.OPEN, "genos/debian-openbox:latest", "soon"), "alice"))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessage("the lifetime \"soon\" is not an ISO-8601 duration such as PT8H or P2D");
        assertThatThrownBy(() -> environments.launch(Specs.openbox("x", 100, 512, Egress.OPEN), "alice"))
                .isInstanceOf(InvalidRequestException.class).hasMessage("too many CPUs");
        Resolution vm = Specs.openbox("x", 1, 512, Egress.OPEN);
        Resolution asVm = new Resolution(vm.spec(), new io.genos.spec.catalog.CatalogImage("debian-vm", Kind.VM,
                vm.image().os(), vm.image().desktop(), vm.image().protocols(), vm.image().defaults(), List.of(),
                "debian.qcow2", 5900, "vm"), List.of());
        assertThatThrownBy(() -> environments.launch(asVm, "alice"))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessage("GenOS cannot run virtual machines here yet (no runtime for it)");

        assertThat(environments.listAll()).isEmpty();
        assertThat(published).isEmpty();
        assertThat(runtime.calls).isEmpty();
    }

    @Test
    void refusesIllegalOperationsWithTheStateInTheMessage() {
        Environment e = environments.launch(Specs.openbox("work", 1, 512, Egress.OPEN), "alice");
        awaitState(e.id(), EnvironmentState.RUNNING);

        assertThatThrownBy(() -> environments.start(e.id(), "alice"))
                .isInstanceOf(IllegalTransitionException.class)
                .hasMessageStartingWith("an environment that is running cannot become running");
        environments.stop(e.id(), "alice");
        assertThatThrownBy(() -> environments.stop(e.id(), "alice"))
                .isInstanceOf(IllegalTransitionException.class)
                .hasMessageStartingWith("an environment that is stopped cannot become stopped");
        assertThat(environments.display(e.id())).isEmpty();
        assertThatThrownBy(() -> environments.exec(e.id(), "true")).isInstanceOf(IllegalTransitionException.class);
        environments.destroy(e.id(), "alice");
        assertThatThrownBy(() -> environments.destroy(e.id(), "alice"))
                .isInstanceOf(IllegalTransitionException.class)
                .hasMessage("an environment that is destroyed cannot become destroyed (destroyed is final)");
        assertThatThrownBy(() -> environments.stop("no-such-id", "alice"))
                .isInstanceOf(EnvironmentNotFoundException.class).hasMessage("no environment with id no-such-id");
    }

    @Test
    void aStartWhoseDisplayNeverAnswersEndsFailedAndStopsTheContainer() {
        Environment e = environments.launch(Specs.openbox("work", 1, 512, Egress.OPEN), "alice");
        awaitState(e.id(), EnvironmentState.RUNNING);
        environments.stop(e.id(), "alice");
        runtime.displayAnswers = false;

        assertThatThrownBy(() -> environments.start(e.id(), "alice"))
                .isInstanceOf(RuntimeFailureException.class).hasMessageStartingWith("the display did not answer");
        Environment failed = environments.find(e.id()).orElseThrow();
        assertThat(failed.state()).isEqualTo(EnvironmentState.FAILED);
        assertThat(runtime.running).containsEntry("c-" + e.id(), false);
    }

    @Test
    void aLifetimeSetsTheExpiryAndExpiredEnvironmentsAreDestroyed() {
        Environment e = environments.launch(
                Specs.resolution("short", 1, 512, Egress.OPEN, "genos/debian-openbox:latest", "PT1H"), "alice");
        assertThat(Duration.between(e.createdAt(), e.expiresAt())).isEqualTo(Duration.ofHours(1));
        Environment d = environments.launch(
                Specs.resolution("days", 1, 512, Egress.OPEN, "genos/debian-openbox:latest", "P2D"), "alice");
        assertThat(Duration.between(d.createdAt(), d.expiresAt())).isEqualTo(Duration.ofDays(2));
        awaitState(e.id(), EnvironmentState.RUNNING);
        awaitState(d.id(), EnvironmentState.RUNNING);

        assertThat(environments.destroyExpired(Instant.now())).isZero();
        assertThat(environments.destroyExpired(Instant.now().plus(Duration.ofHours(2)))).isEqualTo(1);
        assertThat(environments.find(e.id()).orElseThrow().state()).isEqualTo(EnvironmentState.DESTROYED);
        assertThat(environments.find(d.id()).orElseThrow().state()).isEqualTo(EnvironmentState.RUNNING);
    }

    @Test
    void theOwnerExtendsALifetimeWithinTheLongestAllowedAndEachExtensionIsRecorded() {
        Environment e = environments.launch(
                Specs.resolution("short", 1, 512, Egress.OPEN, "genos/debian-openbox:latest", "PT1H"), "alice");
        awaitState(e.id(), EnvironmentState.RUNNING);
        Instant first = environments.find(e.id()).orElseThrow().expiresAt();

        Environment extended = environments.extend(e.id(), Duration.ofHours(2), Duration.ofDays(1), "alice");

        assertThat(extended.expiresAt()).isEqualTo(first.plus(Duration.ofHours(2)));
        assertThat(environments.find(e.id()).orElseThrow().expiresAt()).isEqualTo(extended.expiresAt());
        assertThat(extended.state()).isEqualTo(EnvironmentState.RUNNING);
        assertThat(environments.history(e.id()).getLast().reason()).startsWith("lifetime extended by 2 hours (until ")
                .endsWith(") by alice");
        // Not destroyed at the old end any more, but at the new one.
        assertThat(environments.destroyExpired(first.plus(Duration.ofMinutes(1)))).isZero();

        // Beyond the longest lifetime (1 day from creation): refused with what is still possible, nothing changed.
        int events = environments.history(e.id()).size();
        assertThatThrownBy(() -> environments.extend(e.id(), Duration.ofDays(1), Duration.ofDays(1), "alice"))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("at most 1 day from its creation")
                .hasMessageContaining("the most it can be extended now is 21 hours");
        assertThat(environments.find(e.id()).orElseThrow().expiresAt()).isEqualTo(extended.expiresAt());
        assertThat(environments.history(e.id())).hasSize(events);

        assertThatThrownBy(() -> environments.extend(e.id(), Duration.ZERO, Duration.ofDays(1), "alice"))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("positive");
        environments.destroy(e.id(), "alice");
        assertThatThrownBy(() -> environments.extend(e.id(), Duration.ofHours(1), Duration.ofDays(1), "alice"))
                .isInstanceOf(IllegalTransitionException.class).hasMessageContaining("destroyed");
    }

    @Test
    void aRebootRestartsARunningEnvironmentRecordsWhoAndFailsWithTheReasonWhenItDoesNotComeBack() {
        Environment e = environments.launch(Specs.openbox("reboot-me", 1, 512, Egress.OPEN), "alice");
        awaitState(e.id(), EnvironmentState.RUNNING);

        Environment rebooted = environments.reboot(e.id(), "alice");

        assertThat(rebooted.state()).isEqualTo(EnvironmentState.RUNNING);
        assertThat(runtime.calls).contains("reboot c-" + e.id());
        assertThat(environments.history(e.id()).getLast().reason()).isEqualTo("rebooted by alice");
        assertThat(environments.display(e.id())).isPresent();

        runtime.failRebootWith = "the guest did not answer";
        assertThatThrownBy(() -> environments.reboot(e.id(), "alice"))
                .isInstanceOf(RuntimeFailureException.class).hasMessageContaining("the guest did not answer");
        Environment failed = environments.find(e.id()).orElseThrow();
        assertThat(failed.state()).isEqualTo(EnvironmentState.FAILED);
        assertThat(failed.stateReason()).isEqualTo("the reboot failed: the guest did not answer");

        Environment stopped = environments.launch(Specs.openbox("stopped", 1, 512, Egress.OPEN), "alice");
        awaitState(stopped.id(), EnvironmentState.RUNNING);
        environments.stop(stopped.id(), "alice");
        assertThatThrownBy(() -> environments.reboot(stopped.id(), "alice"))
                .isInstanceOf(IllegalTransitionException.class).hasMessageContaining("start it instead");
    }

    @Test
    void anEnvironmentWithoutAnEndOfLifetimeHasNothingToExtend() {
        Environment e = environments.launch(Specs.openbox("forever", 1, 512, Egress.OPEN), "alice");
        assertThat(e.expiresAt()).isNull();
        assertThatThrownBy(() -> environments.extend(e.id(), Duration.ofHours(1), Duration.ofDays(7), "alice"))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("no end of lifetime");
        assertThat(environments.find(e.id()).orElseThrow().expiresAt()).isNull();
    }

    @Test
    void execRunsInARunningEnvironment() {
        Environment e = environments.launch(Specs.openbox("work", 1, 512, Egress.OPEN), "alice");
        awaitState(e.id(), EnvironmentState.RUNNING);

        assertThat(environments.exec(e.id(), "echo", "hi")).isEqualTo(new ExecResult(0, "echo hi", ""));
        assertThatThrownBy(() -> environments.exec(e.id())).isInstanceOf(InvalidRequestException.class);
    }

    private Environment stored(String name, EnvironmentState state, String runtimeRef) {
        Instant now = Instant.now();
        Environment e = Environment.builder().id(UUID.randomUUID().toString()).owner("carol").name(name)
                .imageId("debian-openbox").kind(Kind.CONTAINER).state(state).stateReason("as found")
                .runtimeRef(runtimeRef).displayPassword("pw").spec(Specs.openbox(name, 1, 512, Egress.OPEN).spec())
                .at(now).build();
        store.insert(e, "carol");
        return e;
    }

    @Test
    void reconcileFailsWhatARestartInterruptedAndFollowsTheRuntime() {
        Environment interrupted = stored("interrupted", EnvironmentState.PROVISIONING, "c-x");
        Environment vanished = stored("vanished", EnvironmentState.RUNNING, "c-vanished");
        Environment halted = stored("halted", EnvironmentState.RUNNING, "c-halted");
        runtime.running.put("c-halted", false);
        Environment fine = environments.launch(Specs.openbox("fine", 1, 512, Egress.OPEN), "carol");
        awaitState(fine.id(), EnvironmentState.RUNNING);

        List<String> changes = environments.reconcile("admin");

        assertThat(changes).containsExactlyInAnyOrder(
                interrupted.id() + ": provisioning -> failed (interrupted by a restart)",
                vanished.id() + ": running -> failed (gone from the runtime)",
                halted.id() + ": running -> stopped (found stopped)");
        assertThat(environments.find(interrupted.id()).orElseThrow().stateReason())
                .isEqualTo("GenOS restarted while it was provisioning; launch it again");
        assertThat(runtime.calls).contains("destroy " + interrupted.id());
        assertThat(environments.find(vanished.id()).orElseThrow().state()).isEqualTo(EnvironmentState.FAILED);
        assertThat(environments.find(halted.id()).orElseThrow().state()).isEqualTo(EnvironmentState.STOPPED);
        assertThat(environments.find(fine.id()).orElseThrow().state()).isEqualTo(EnvironmentState.RUNNING);
        assertThat(environments.history(halted.id())).last().extracting(EnvironmentEvent::actor).isEqualTo("admin");
        assertThat(environments.reconcile("admin")).as("a second run finds nothing to do").isEmpty();
    }

    @Test
    void concurrentLaunchesOfOneNameLetExactlyOneThrough() throws Exception {
        List<Object> outcomes = new CopyOnWriteArrayList<>();
        List<Thread> threads = new java.util.ArrayList<>();
        for (int i = 0; i < 8; i++) {
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    outcomes.add(environments.launch(Specs.openbox("race", 1, 512, Egress.OPEN), "alice"));
                } catch (RuntimeException ex) {
                    outcomes.add(ex);
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }

        assertThat(outcomes).filteredOn(Environment.class::isInstance).hasSize(1);
        assertThat(outcomes).filteredOn(InvalidRequestException.class::isInstance).hasSize(7);
        assertThat(environments.listByOwner("alice")).hasSize(1);
    }

    @Test
    void aDestroyRightAfterLaunchWaitsForProvisioningAndLeavesNothing() {
        Environment e = environments.launch(Specs.openbox("brief", 1, 512, Egress.OPEN), "alice");

        Environment destroyed = environments.destroy(e.id(), "alice");

        assertThat(destroyed.state()).isEqualTo(EnvironmentState.DESTROYED);
        assertThat(runtime.calls).last().isEqualTo("destroy " + e.id());
        assertThat(runtime.running).isEmpty();
        assertThat(environments.history(e.id())).extracting(EnvironmentEvent::to).endsWith(EnvironmentState.DESTROYED);
    }

    @Test
    void snapshotsAreTakenListedRevertedAndDeletedWithEachRecordedInTheHistory() {
        runtime.snapshotting = true;
        Environment e = environments.launch(Specs.openbox("work", 1, 512, Egress.OPEN), "alice");
        awaitState(e.id(), EnvironmentState.RUNNING);

        Snapshot taken = environments.snapshot(e.id(), "clean", "alice");
        environments.stop(e.id(), "alice");
        environments.snapshot(e.id(), "cold", "bob");

        assertThat(taken.name()).isEqualTo("clean");
        assertThat(taken.description()).isEqualTo("taken by alice");
        assertThat(environments.snapshots(e.id())).extracting(Snapshot::name).containsExactly("clean", "cold");

        Environment reverted = environments.revert(e.id(), "clean", "carol");
        assertThat(reverted.state()).as("a snapshot taken while running comes back running").isEqualTo(EnvironmentState.RUNNING);
        assertThat(environments.display(e.id())).isPresent();
        Environment cold = environments.revert(e.id(), "cold", "carol");
        assertThat(cold.state()).as("one taken while stopped comes back stopped").isEqualTo(EnvironmentState.STOPPED);
        environments.deleteSnapshot(e.id(), "clean", "dave");
        assertThat(environments.snapshots(e.id())).extracting(Snapshot::name).containsExactly("cold");

        assertThat(environments.history(e.id())).extracting(EnvironmentEvent::reason).containsSubsequence(
                "snapshot clean taken by alice", "stopped by alice", "snapshot cold taken by bob",
                "reverted to snapshot clean by carol", "reverted to snapshot cold by carol",
                "snapshot clean deleted by dave");
        assertThat(environments.history(e.id())).filteredOn(ev -> ev.reason().startsWith("snapshot clean taken"))
                .singleElement().satisfies(ev -> {
                    assertThat(ev.from()).isEqualTo(EnvironmentState.RUNNING);
                    assertThat(ev.to()).isEqualTo(EnvironmentState.RUNNING);
                    assertThat(ev.actor()).isEqualTo("alice");
                });
    }

    @Test
    void badSnapshotRequestsAreRefusedWithTheRightExceptionAndChangeNothing() {
        runtime.snapshotting = true;
        Environment e = environments.launch(Specs.openbox("work", 1, 512, Egress.OPEN), "alice");
        awaitState(e.id(), EnvironmentState.RUNNING);
        environments.snapshot(e.id(), "clean", "alice");
        int events = environments.history(e.id()).size();
        int calls = runtime.calls.size();

        assertThatThrownBy(() -> environments.snapshot(e.id(), "Bad Name", "alice"))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("\"Bad Name\" is not allowed");
        assertThatThrownBy(() -> environments.revert(e.id(), "../etc", "alice"))
                .isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> environments.snapshot(e.id(), "clean", "bob"))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("already has a snapshot named \"clean\"");
        assertThatThrownBy(() -> environments.revert(e.id(), "missing", "alice"))
                .isInstanceOf(SnapshotNotFoundException.class)
                .hasMessage("environment " + e.id() + " has no snapshot named \"missing\"");
        assertThatThrownBy(() -> environments.deleteSnapshot(e.id(), "missing", "alice"))
                .isInstanceOf(SnapshotNotFoundException.class);
        assertThatThrownBy(() -> environments.snapshot("no-such-id", "clean", "alice"))
                .isInstanceOf(EnvironmentNotFoundException.class);
        assertThatThrownBy(() -> environments.snapshots("no-such-id")).isInstanceOf(EnvironmentNotFoundException.class);

        assertThat(environments.history(e.id())).hasSize(events);
        assertThat(runtime.calls).hasSize(calls);
        assertThat(environments.snapshots(e.id())).extracting(Snapshot::name).containsExactly("clean");
        assertThat(environments.find(e.id()).orElseThrow().state()).isEqualTo(EnvironmentState.RUNNING);

        environments.destroy(e.id(), "alice");
        assertThat(environments.snapshots(e.id())).as("a destroyed environment has none").isEmpty();
        assertThatThrownBy(() -> environments.snapshot(e.id(), "late", "alice"))
                .isInstanceOf(IllegalTransitionException.class)
                .hasMessage("cannot take a snapshot of an environment that is destroyed (only running or stopped ones)");
    }

    @Test
    void aRuntimeWithoutSnapshotsRefusesThemSayingForWhichKind() {
        Environment e = environments.launch(Specs.openbox("work", 1, 512, Egress.OPEN), "alice");
        awaitState(e.id(), EnvironmentState.RUNNING);
        int events = environments.history(e.id()).size();

        assertThatThrownBy(() -> environments.snapshot(e.id(), "clean", "alice"))
                .isInstanceOf(RuntimeFailureException.class).hasMessage("snapshots are not supported for containers yet");
        assertThatThrownBy(() -> environments.snapshots(e.id()))
                .isInstanceOf(RuntimeFailureException.class).hasMessage("snapshots are not supported for containers yet");
        assertThat(environments.history(e.id())).hasSize(events);
    }
}
