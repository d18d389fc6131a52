package io.genos.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.genos.spec.EnvironmentSpec;
import io.genos.spec.Kind;
import io.genos.spec.Network.Egress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Reconcile's adoption and removal decisions, and restoring a snapshot into a new environment, against the fake
 * runtime and a real in-memory H2.
 */
class ReconcileAndRestoreTest {
    private static final String ACTOR = "genos (reconcile)";
    private FakeRuntime runtime;
    private EnvironmentStore store;
    private Environments environments;

    @BeforeEach
    void setUp() throws Exception {
        runtime = new FakeRuntime();
        store = EnvironmentStore.of(TestDatabase.inMemory("r" + UUID.randomUUID()));
        environments = new Environments(store, List.of(runtime), e -> {},
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

    /** Labels as a runtime reports them for a resource created by this (or another) installation. */
    private Map<String, String> labels(String installation, String owner, String name, Instant expiresAt) {
        Map<String, String> l = new HashMap<>();
        l.put(EnvironmentRuntime.LABEL_PRODUCT, "genos");
        l.put(EnvironmentRuntime.LABEL_OWNER, owner);
        l.put(EnvironmentRuntime.LABEL_IMAGE, "debian-openbox");
        if (installation != null) {
            l.put(EnvironmentRuntime.LABEL_INSTALLATION, installation);
        }
        l.put(EnvironmentRuntime.LABEL_NAME, name);
        l.put(EnvironmentRuntime.LABEL_EXPIRES_AT, expiresAt == null ? "" : expiresAt.toString());
        l.put(EnvironmentRuntime.LABEL_SPEC, EnvironmentStore.specJson(Specs.openbox(name, 1, 512, Egress.OPEN).spec()));
        return l;
    }

    private String found(Map<String, String> labels, boolean running) {
        String id = UUID.randomUUID().toString();
        labels.put(EnvironmentRuntime.LABEL_ENVIRONMENT, id);
        runtime.found.add(new RuntimeStatus("c-" + id, id, running, running ? null : 0L,
                running ? new InetSocketAddress("127.0.0.1", runtime.displayPort()) : null, Map.of(), labels));
        runtime.running.put("c-" + id, running);
        return id;
    }

    /** Adopted with the display protocol the runtime found (the 18-argument constructor made every one VNC). */
    @Test
    void anAdoptedSpiceDisplayStaysSpice() {
        Map<String, String> labels = labels(environments.installationId(), "alice", "spicy", null);
        String id = UUID.randomUUID().toString();
        labels.put(EnvironmentRuntime.LABEL_ENVIRONMENT, id);
        runtime.found.add(new RuntimeStatus("c-" + id, id, true, null,
                new InetSocketAddress("127.0.0.1", runtime.displayPort()), Map.of(), labels, false,
                io.genos.spec.Streaming.Protocol.SPICE));
        runtime.running.put("c-" + id, true);

        assertThat(environments.reconcile(ACTOR)).containsExactly(id + ": adopted running as alice/spicy");
        Environment adopted = environments.find(id).orElseThrow();
        assertThat(adopted.displayProtocol()).isEqualTo(io.genos.spec.Streaming.Protocol.SPICE);
        assertThat(adopted.display().orElseThrow().protocol()).isEqualTo(io.genos.spec.Streaming.Protocol.SPICE);
    }

    @Test
    void launchLabelsTheResourceWithWhatAdoptionNeeds() {
        Environment e = environments.launch(Specs.resolution("work", 1, 512, Egress.OPEN, "x", "PT2H"), "alice");
        Environment stored = awaitState(e.id(), EnvironmentState.RUNNING);

        RuntimeRequest request = runtime.requests.getFirst();
        assertThat(request.labels()).containsEntry(EnvironmentRuntime.LABEL_INSTALLATION, environments.installationId())
                .containsEntry(EnvironmentRuntime.LABEL_NAME, "work")
                .containsEntry(EnvironmentRuntime.LABEL_EXPIRES_AT, stored.expiresAt().toString());
        assertThat(EnvironmentStore.spec(request.labels().get(EnvironmentRuntime.LABEL_SPEC))).isEqualTo(e.spec());
        assertThat(environments.installationId()).isEqualTo(store.installationId()).hasSize(36);
    }

    @Test
    void adoptsOwnResourcesWithoutARecordAsFoundRunningOrStopped() {
        String mine = environments.installationId();
        String running = found(labels(mine, "alice", "lost", null), true);
        runtime.passwords.put(running, "secret12");
        Instant later = Instant.now().plus(Duration.ofHours(1)).truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        String stopped = found(labels(mine, "bob", "cold", later), false);

        List<String> changes = environments.reconcile(ACTOR);

        assertThat(changes).containsExactlyInAnyOrder(running + ": adopted running as alice/lost",
                stopped + ": adopted stopped as bob/cold");
        Environment a = environments.find(running).orElseThrow();
        assertThat(a.state()).isEqualTo(EnvironmentState.RUNNING);
        assertThat(a.owner()).isEqualTo("alice");
        assertThat(a.imageId()).isEqualTo("debian-openbox");
        assertThat(a.kind()).isEqualTo(Kind.CONTAINER);
        assertThat(a.runtimeRef()).isEqualTo("c-" + running);
        assertThat(a.displayPort()).isEqualTo(runtime.displayPort());
        assertThat(a.displayPassword()).isEqualTo("secret12");
        assertThat(a.display()).isPresent();
        assertThat(a.spec().name()).isEqualTo("lost");
        Environment b = environments.find(stopped).orElseThrow();
        assertThat(b.state()).isEqualTo(EnvironmentState.STOPPED);
        assertThat(b.expiresAt()).isEqualTo(later);
        assertThat(b.displayPassword()).isNull();
        assertThat(b.stateReason()).contains("could not be read back");
        assertThat(environments.history(running)).singleElement().satisfies(ev -> {
            assertThat(ev.actor()).isEqualTo(ACTOR);
            assertThat(ev.from()).isNull();
            assertThat(ev.reason()).isEqualTo("adopted by reconcile: its container c-" + running
                    + " was found running with no record here");
        });
        assertThat(runtime.calls).noneMatch(c -> c.startsWith("destroy"));
        assertThat(environments.reconcile(ACTOR)).as("adopted once").isEmpty();
        // an adopted environment is a normal one
        environments.stop(running, "alice");
        assertThat(environments.destroy(running, "alice").state()).isEqualTo(EnvironmentState.DESTROYED);
    }

    @Test
    void removesOwnExpiredResourcesAndLeftoversOfDestroyedOrFailedRecords() {
        String mine = environments.installationId();
        Instant past = Instant.now().minusSeconds(60);
        String expired = found(labels(mine, "alice", "old", past), true);

        Environment destroyed = environments.launch(Specs.openbox("gone", 1, 512, Egress.OPEN), "carol");
        awaitState(destroyed.id(), EnvironmentState.RUNNING);
        environments.destroy(destroyed.id(), "carol");
        Map<String, String> l = labels(mine, "carol", "gone", null);
        l.put(EnvironmentRuntime.LABEL_ENVIRONMENT, destroyed.id());
        runtime.found.add(new RuntimeStatus("c-leftover", destroyed.id(), false, 0L, null, Map.of(), l));

        List<String> changes = environments.reconcile(ACTOR);

        assertThat(changes).containsExactlyInAnyOrder(expired + ": removed (no record, lifetime ended " + past + ")",
                destroyed.id() + ": removed its leftover container c-leftover: the environment is destroyed "
                        + "(an earlier cleanup had not finished)");
        assertThat(runtime.calls).contains("destroy " + expired, "destroy " + destroyed.id());
        Environment record = environments.find(expired).orElseThrow();
        assertThat(record.state()).isEqualTo(EnvironmentState.DESTROYED);
        assertThat(record.stateReason()).contains("after its lifetime ended");
        assertThat(environments.history(expired)).singleElement().extracting(EnvironmentEvent::actor).isEqualTo(ACTOR);
        assertThat(environments.history(destroyed.id()).getLast().reason()).startsWith("removed its leftover container");
        assertThat(environments.reconcile(ACTOR)).isEmpty();
    }

    @Test
    void leavesOtherInstallationsAndUnreadableResourcesAloneAndLiveRecordsAsTheyAre() {
        String foreign = found(labels("another-installation", "alice", "theirs", null), true);
        String unlabelled = found(labels(null, "alice", "old-genos", null), true);
        Map<String, String> noSpec = labels(environments.installationId(), "alice", "nospec", null);
        noSpec.remove(EnvironmentRuntime.LABEL_SPEC);
        String unreadable = found(noSpec, true);
        Environment live = environments.launch(Specs.openbox("live", 1, 512, Egress.OPEN), "alice");
        awaitState(live.id(), EnvironmentState.RUNNING);
        Map<String, String> liveLabels = labels(environments.installationId(), "alice", "live", null);
        liveLabels.put(EnvironmentRuntime.LABEL_ENVIRONMENT, live.id());
        runtime.found.add(new RuntimeStatus("c-" + live.id(), live.id(), true, null, null, Map.of(), liveLabels));

        List<String> changes = environments.reconcile(ACTOR);

        assertThat(changes).containsExactlyInAnyOrder(
                "orphan container c-" + foreign + " of environment " + foreign
                        + " has no live record here and belongs to installation another-installation (left alone)",
                "orphan container c-" + unlabelled + " of environment " + unlabelled
                        + " has no live record here and belongs to no known installation (left alone)",
                "orphan container c-" + unreadable + " of environment " + unreadable
                        + " has no record here and its labels do not say enough to adopt it (left alone)");
        assertThat(environments.find(foreign)).isEmpty();
        assertThat(environments.find(unlabelled)).isEmpty();
        assertThat(environments.find(unreadable)).isEmpty();
        assertThat(runtime.calls).noneMatch(c -> c.startsWith("destroy"));
    }

    @Test
    void sweepsWhatIsStoredForDestroyedEnvironmentsOfThisInstallationOnly() {
        Environment gone = environments.launch(Specs.openbox("gone", 1, 512, Egress.OPEN), "carol");
        awaitState(gone.id(), EnvironmentState.RUNNING);
        environments.destroy(gone.id(), "carol");
        Environment live = environments.launch(Specs.openbox("live", 1, 512, Egress.OPEN), "carol");
        awaitState(live.id(), EnvironmentState.RUNNING);
        runtime.stored.put(gone.id(), environments.installationId());
        runtime.stored.put(live.id(), environments.installationId());
        runtime.stored.put("no-record", environments.installationId());
        runtime.calls.clear();

        List<String> changes = environments.reconcile(ACTOR);

        assertThat(changes).containsExactlyInAnyOrder(gone.id() + ": removed its leftover snapshots: the environment "
                        + "is destroyed (an earlier cleanup had not finished)",
                "orphan snapshots of environment no-record have no live record here (left alone)");
        assertThat(runtime.calls).containsExactly("destroy " + gone.id());
        assertThat(runtime.stored).containsOnlyKeys(live.id(), "no-record");
        assertThat(environments.history(gone.id()).getLast().actor()).isEqualTo(ACTOR);
    }

    @Test
    void anAdoptedNameTheOwnerAlreadyUsesGetsANumber() {
        Environment live = environments.launch(Specs.openbox("work", 1, 512, Egress.OPEN), "alice");
        awaitState(live.id(), EnvironmentState.RUNNING);
        String lost = found(labels(environments.installationId(), "alice", "work", null), true);

        assertThat(environments.reconcile(ACTOR)).containsExactly(lost + ": adopted running as alice/work-1");
        assertThat(environments.find(lost).orElseThrow().name()).isEqualTo("work-1");
    }

    @Test
    void revertStoresTheRefOfAReplacedResource() {
        runtime.snapshotting = true;
        runtime.revertReplaces = true;
        Environment e = environments.launch(Specs.openbox("work", 1, 512, Egress.OPEN), "alice");
        awaitState(e.id(), EnvironmentState.RUNNING);
        environments.snapshot(e.id(), "clean", "alice");

        Environment reverted = environments.revert(e.id(), "clean", "alice");

        assertThat(reverted.runtimeRef()).isEqualTo("c-" + e.id() + "'");
        assertThat(reverted.state()).isEqualTo(EnvironmentState.RUNNING);
        assertThat(environments.find(e.id()).orElseThrow().runtimeRef()).isEqualTo("c-" + e.id() + "'");
        assertThat(environments.exec(e.id(), "true").exitCode()).isZero();
        environments.stop(e.id(), "alice");
        assertThat(runtime.calls).contains("stop c-" + e.id() + "'");
    }

    @Test
    void restoresASnapshotIntoANewEnvironmentOfItsOwn() {
        runtime.snapshotting = true;
        Environment source = environments.launch(Specs.resolution("work", 2, 512, Egress.OPEN, "x", "PT1H"), "alice");
        awaitState(source.id(), EnvironmentState.RUNNING);
        environments.snapshot(source.id(), "clean", "alice");

        Environment restored = environments.launchFromSnapshot(source.id(), "clean", "bob", Quota.UNLIMITED);

        assertThat(restored.name()).isEqualTo("work-from-clean");
        assertThat(restored.owner()).isEqualTo("bob");
        assertThat(restored.id()).isNotEqualTo(source.id());
        assertThat(restored.imageId()).isEqualTo(source.imageId());
        assertThat(restored.spec().resources()).isEqualTo(source.spec().resources());
        assertThat(restored.expiresAt()).as("its lifetime counts from now").isNotNull().isAfter(source.expiresAt().minusMillis(1));
        Environment running = awaitState(restored.id(), EnvironmentState.RUNNING);
        assertThat(running.runtimeRef()).isEqualTo("c-" + restored.id());
        assertThat(runtime.calls).contains("create-from-snapshot c-" + source.id() + " clean for " + restored.id());
        assertThat(environments.history(restored.id()).getFirst().reason())
                .isEqualTo("restored from snapshot clean of work (" + source.id() + ") by bob");
        RuntimeRequest request = runtime.requests.getLast();
        assertThat(request.labels()).containsEntry(EnvironmentRuntime.LABEL_NAME, "work-from-clean");

        Environment again = environments.launchFromSnapshot(source.id(), "clean", "bob", Quota.UNLIMITED);
        assertThat(again.name()).as("a name the owner uses gets a number").isEqualTo("work-from-clean-1");
        awaitState(again.id(), EnvironmentState.RUNNING);
    }

    @Test
    void badRestoreRequestsAreRefusedAndChangeNothing() {
        runtime.snapshotting = true;
        Environment source = environments.launch(Specs.openbox("work", 2, 512, Egress.OPEN), "alice");
        awaitState(source.id(), EnvironmentState.RUNNING);
        environments.snapshot(source.id(), "clean", "alice");
        int before = environments.listAll().size();

        assertThatThrownBy(() -> environments.launchFromSnapshot(source.id(), "missing", "bob", Quota.UNLIMITED))
                .isInstanceOf(SnapshotNotFoundException.class)
                .hasMessage("environment " + source.id() + " has no snapshot named \"missing\"");
        assertThatThrownBy(() -> environments.launchFromSnapshot(source.id(), "Bad Name", "bob", Quota.UNLIMITED))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("is not allowed");
        assertThatThrownBy(() -> environments.launchFromSnapshot("no-such-id", "clean", "bob", Quota.UNLIMITED))
                .isInstanceOf(EnvironmentNotFoundException.class);
        assertThatThrownBy(() -> environments.launchFromSnapshot(source.id(), "clean", " ", Quota.UNLIMITED))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("owner");
        assertThatThrownBy(() -> environments.launchFromSnapshot(source.id(), "clean", "bob",
                new Quota(5, 1, 4096, 100, 0)))
                .isInstanceOf(QuotaExceededException.class).hasMessageContaining("CPUs");
        assertThat(environments.listAll()).hasSize(before);
        assertThat(runtime.calls).noneMatch(c -> c.startsWith("create-from-snapshot"));

        Instant now = Instant.now();
        EnvironmentSpec vmSpec = Specs.openbox("vm", 1, 512, Egress.OPEN).spec().toBuilder().kind(Kind.VM).build();
        Environment vm = Environment.builder().id(UUID.randomUUID().toString()).owner("alice").name("vm")
                .imageId("debian-tiny-vm").kind(Kind.VM).state(EnvironmentState.RUNNING).stateReason("as found")
                .progress(100).runtimeRef("uuid").displayPassword("pw").spec(vmSpec).at(now).build();
        store.insert(vm, "alice");
        assertThatThrownBy(() -> environments.launchFromSnapshot(vm.id(), "clean", "alice", Quota.UNLIMITED))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessage("restoring a VM snapshot into a new VM is not supported yet; revert it in place");

        environments.destroy(source.id(), "alice");
        assertThatThrownBy(() -> environments.launchFromSnapshot(source.id(), "clean", "bob", Quota.UNLIMITED))
                .isInstanceOf(IllegalTransitionException.class).hasMessageContaining("destroyed");
        assertThat(environments.listAll()).hasSize(before + 1);
    }

    @Test
    void aRuntimeThatCannotRestoreFailsTheNewEnvironmentWithItsReason() {
        runtime.snapshotting = true;
        Environment source = environments.launch(Specs.openbox("work", 1, 512, Egress.OPEN), "alice");
        awaitState(source.id(), EnvironmentState.RUNNING);
        environments.snapshot(source.id(), "clean", "alice");
        runtime.failCreateWith = "no room for it";

        Environment restored = environments.launchFromSnapshot(source.id(), "clean", "alice", Quota.UNLIMITED);

        Environment failed = awaitState(restored.id(), EnvironmentState.FAILED);
        assertThat(failed.stateReason()).isEqualTo("no room for it");
        assertThat(failed.runtimeRef()).isNull();
        assertThat(runtime.calls).contains("destroy " + restored.id());
        assertThat(environments.find(source.id()).orElseThrow().state()).isEqualTo(EnvironmentState.RUNNING);
    }
}
