package org.ionloop.protocols;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.ManualTime;
import akka.actor.testkit.typed.javadsl.TestProbe;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.ionloop.instruments.InstrumentCommand;
import org.ionloop.instruments.InstrumentEvent;
import org.ionloop.store.StoreRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runner's phases one by one (see {@link ExperimentRunner.Phase}): what each waits for, what
 * moves it on, and what it ignores. Time is manual, so deadlines pass when a test says so.
 */
class ExperimentRunnerPhasesTest {
  static final ActorTestKit KIT = ActorTestKit.create(ManualTime.config()
      .withFallback(com.typesafe.config.ConfigFactory.load()));
  static final ManualTime TIME = ManualTime.get(KIT.system());
  static final ProtocolSpec DEMO = ProtocolSpec.load(Path.of("protocols/argyrodite-solid-state.yaml"));

  @AfterAll
  static void stop() {
    KIT.shutdownTestKit();
  }

  static RunnerBench bench(Map<String, Function<InstrumentCommand, InstrumentEvent>> answers) {
    return new RunnerBench(KIT, DEMO, answers);
  }

  /** A script that answers {@code action} with {@code answer} and everything else as a healthy lab. */
  static Function<InstrumentCommand, InstrumentEvent> on(String action, Function<InstrumentCommand, InstrumentEvent> answer) {
    return c -> c.action().equals(action) ? answer.apply(c) : RunnerBench.healthy(c);
  }

  @Test
  void committingNothingMovesUntilTheLogIsDurable() {
    RunnerBench b = bench(Map.of());
    b.holdSyncs = true;
    b.start("c-test-e001");
    b.campaign.awaitAssert(Duration.ofSeconds(5), () -> {
      assertEquals(1, b.heldSyncs.size());
      return null;
    });
    b.campaign.expectNoMessage(Duration.ofMillis(200));
    assertTrue(b.devices.get("robot-1").sent().isEmpty(), "a command went out before the log was committed");
    b.releaseSyncs();
    b.awaitCommands("robot-1", 1);
    assertEquals("dispense", b.devices.get("robot-1").actions().get(0));
  }

  @Test
  void committingASyncTheStoreForgotIsAskedAgainAtItsDeadline() {
    RunnerBench b = bench(Map.of());
    b.holdSyncs = true; // a store restarted by its supervisor: the sync is never answered
    b.start("c-test-e001");
    b.campaign.awaitAssert(Duration.ofSeconds(5), () -> {
      assertEquals(1, b.heldSyncs.size());
      return null;
    });
    b.heldSyncs.clear();
    b.holdSyncs = false;
    TIME.timePasses(ExperimentRunner.SYNC_DEADLINE.minusSeconds(1));
    assertTrue(b.devices.get("robot-1").sent().isEmpty());
    TIME.timePasses(Duration.ofSeconds(2));
    b.awaitCommands("robot-1", 1);
  }

  @Test
  void heldPausedAtAStepBoundaryAndResumedWhereItStopped() {
    RunnerBench b = bench(Map.of());
    b.holdSyncs = true;
    var runner = b.start("c-test-e001");
    runner.tell(ExperimentRunner.Pause.INSTANCE);
    b.releaseSyncs();
    b.campaign.expectNoMessage(Duration.ofMillis(300));
    assertTrue(b.devices.get("robot-1").sent().isEmpty(), "a paused experiment sent " + b.devices.get("robot-1").actions());
    runner.tell(ExperimentRunner.Resume.INSTANCE);
    b.campaign.expectMessageClass(ExperimentRunner.Succeeded.class, Duration.ofSeconds(60));
  }

  @Test
  void acquiringWaitsForAStationOfThePoolAndRecordsWhichOneItGot() {
    RunnerBench b = bench(Map.of());
    TestProbe<ResourceLocks.Reply> other = KIT.createTestProbe();
    b.locks.tell(new ResourceLocks.Acquire(List.of("furnace-1"), "other-e1", other.getRef()));
    b.locks.tell(new ResourceLocks.Acquire(List.of("furnace-2"), "other-e2", other.getRef()));
    other.expectMessageClass(ResourceLocks.Granted.class);
    other.expectMessageClass(ResourceLocks.Granted.class);
    b.start("c-test-e001");
    b.awaitCommands("robot-1", 4); // dispense, mill, press, geometry
    b.campaign.expectNoMessage(Duration.ofMillis(300));
    assertEquals(List.of("dispense", "mill", "press", "measure_geometry"), b.devices.get("robot-1").actions(),
        "the sample must not be carried to a furnace another experiment holds");
    b.locks.tell(new ResourceLocks.Release("furnace-2", "other-e2"));
    var acquired = b.awaitRecord(StoreRecord.Event.class, e -> e.kind().equals("station_acquired"));
    assertEquals(Map.of("role", "furnace", "station", "furnace-2"), acquired.payload());
    b.awaitCommands("robot-1", 5);
    assertEquals("furnace-2", b.devices.get("robot-1").sent().get(4).params().get("to"));
  }

  @Test
  void acquiringDeniedWhenEveryStationIsOutOfServiceFailsWithTheReason() {
    RunnerBench b = bench(Map.of());
    b.locks.tell(new ResourceLocks.Quarantine("furnace-1", "inspect"));
    b.locks.tell(new ResourceLocks.Quarantine("furnace-2", "inspect"));
    b.start("c-test-e001");
    var failed = b.campaign.expectMessageClass(ExperimentRunner.Failed.class, Duration.ofSeconds(10));
    assertTrue(failed.reason().startsWith("no furnace available"), failed.reason());
    assertNull(failed.instrument(), "no instrument failed: the lab had no furnace");
  }

  @Test
  void commandedATimedOutStepIsRetriedAsAResendWithItsIdThenFailsAtItsDeadline(@TempDir Path dir) throws Exception {
    // The robot acknowledges a dispense and never finishes it.
    var protocol = withRetries(dir, 1);
    RunnerBench b = new RunnerBench(KIT, protocol, Map.of("robot-1", on("dispense", c -> null)));
    b.start("c-test-e001");
    b.awaitCommands("robot-1", 1);
    TIME.timePasses(Duration.ofMinutes(31)); // dispense: PT30M
    b.awaitCommands("robot-1", 2);
    var first = b.devices.get("robot-1").sent().get(0);
    var second = b.devices.get("robot-1").sent().get(1);
    assertEquals(first.commandId(), second.commandId(), "a retry keeps the command's id");
    assertFalse(first.resent());
    assertTrue(second.resent(), "a retry is marked as a re-send, so a device that cannot tell asks");
    b.campaign.expectNoMessage(Duration.ofMillis(100));
    TIME.timePasses(Duration.ofMinutes(31));
    var failed = b.campaign.expectMessageClass(ExperimentRunner.Failed.class, Duration.ofSeconds(10));
    assertTrue(failed.reason().contains("dispense failed on robot-1: TIMEOUT"), failed.reason());
    assertEquals("robot-1", failed.instrument());
  }

  @Test
  void commandedAnInstrumentErrorFailsTheExperimentAndQuarantinesWhatItHeld() {
    RunnerBench b = bench(Map.of("furnace-1", on("anneal",
        c -> new InstrumentEvent.Error(c.commandId(), "THERMOCOUPLE_OPEN", "thermocouple open"))));
    b.locks.tell(new ResourceLocks.Quarantine("furnace-2", "inspect")); // so furnace-1 is the one taken
    b.start("c-test-e001");
    var failed = b.campaign.expectMessageClass(ExperimentRunner.Failed.class, Duration.ofSeconds(10));
    assertEquals("furnace-1", failed.instrument());
    assertEquals(Set.of("furnace-1"), failed.outOfService().keySet(), "the pellet is still in furnace-1");
    var quarantined = b.awaitRecord(StoreRecord.Event.class, e -> e.kind().equals("station_quarantined"));
    assertEquals("furnace-1", quarantined.payload().get("station"));
  }

  @Test
  void aCrackedPelletFailsTheExperimentWithoutBlamingTheRobotAndAGripperFaultBlamesIt() {
    // robot-1.yaml: sample_failures: [PELLET_CRACKED]
    RunnerBench cracked = bench(Map.of("robot-1", on("press",
        c -> new InstrumentEvent.Error(c.commandId(), "PELLET_CRACKED", "pellet cracked on release"))));
    cracked.start("c-test-e001");
    var sample = cracked.campaign.expectMessageClass(ExperimentRunner.Failed.class, Duration.ofSeconds(10));
    assertTrue(sample.reason().contains("SAMPLE_FAILED PELLET_CRACKED"), sample.reason());
    assertNull(sample.instrument(), "the robot worked; the pellet did not");
    RunnerBench jammed = bench(Map.of("robot-1", on("press",
        c -> new InstrumentEvent.Error(c.commandId(), "GRIPPER_FAULT", "gripper jammed"))));
    jammed.start("c-test-e002");
    var fault = jammed.campaign.expectMessageClass(ExperimentRunner.Failed.class, Duration.ofSeconds(10));
    assertTrue(fault.reason().contains("INSTRUMENT_ERROR GRIPPER_FAULT"), fault.reason());
    assertEquals("robot-1", fault.instrument());
  }

  @Test
  void askingOutcomeAnOperatorsYesTakesTheStepAsDoneAndTheExperimentGoesOn() {
    String question = "furnace-1 reports done at 525 °C: was this c-test-e001's anneal?";
    RunnerBench b = bench(Map.of("furnace-1", on("anneal",
        c -> new InstrumentEvent.Error(c.commandId(), "OUTCOME_UNKNOWN", question))));
    b.locks.tell(new ResourceLocks.Quarantine("furnace-2", "inspect"));
    var runner = b.start("c-test-e001");
    var asked = b.campaign.expectMessageClass(ExperimentRunner.ApprovalNeeded.class, Duration.ofSeconds(10));
    assertEquals("anneal", asked.stepId());
    assertTrue(asked.prompt().startsWith("furnace-1 reports done at 525 °C"), asked.prompt());
    int robotCommands = b.devices.get("robot-1").sent().size();
    runner.tell(new ExperimentRunner.Approve("eis", "ops")); // not the step asked about
    b.campaign.expectNoMessage(Duration.ofMillis(200));
    assertEquals(robotCommands, b.devices.get("robot-1").sent().size(), "a stale approval moved the experiment");
    runner.tell(new ExperimentRunner.Approve("anneal", "ops"));
    var done = b.awaitRecord(StoreRecord.ReplyReceived.class, r -> r.commandId().endsWith(":anneal"));
    assertEquals("DONE", done.state());
    assertEquals("ops", done.result().get("confirmed_by"));
    assertEquals(1, b.devices.get("furnace-1").sent().size(), "the anneal must not be sent again");
    b.campaign.expectMessageClass(ExperimentRunner.Succeeded.class, Duration.ofSeconds(60));
  }

  @Test
  void askingOutcomeAnOperatorsNoFailsTheExperiment() {
    RunnerBench b = bench(Map.of("furnace-1", on("anneal",
        c -> new InstrumentEvent.Error(c.commandId(), "OUTCOME_UNKNOWN", "was this e001's anneal?"))));
    b.locks.tell(new ResourceLocks.Quarantine("furnace-2", "inspect"));
    var runner = b.start("c-test-e001");
    b.campaign.expectMessageClass(ExperimentRunner.ApprovalNeeded.class, Duration.ofSeconds(10));
    runner.tell(new ExperimentRunner.Reject("anneal", "ops", "furnace log shows another program"));
    var failed = b.campaign.expectMessageClass(ExperimentRunner.Failed.class, Duration.ofSeconds(10));
    assertTrue(failed.reason().contains("rejected by ops"), failed.reason());
    assertEquals(Set.of("furnace-1"), failed.outOfService().keySet());
  }

  @Test
  void atGateNothingRunsUntilApprovedAndWhoApprovedIsOnRecordFirst(@TempDir Path dir) throws Exception {
    var gated = withGateOnAnneal(dir);
    RunnerBench b = new RunnerBench(KIT, gated, Map.of());
    var runner = b.start("c-test-e001");
    var gate = b.campaign.expectMessageClass(ExperimentRunner.ApprovalNeeded.class, Duration.ofSeconds(10));
    assertEquals("anneal", gate.stepId());
    b.campaign.expectNoMessage(Duration.ofMillis(200));
    assertTrue(b.devices.get("furnace-1").sent().isEmpty() && b.devices.get("furnace-2").sent().isEmpty());
    runner.tell(new ExperimentRunner.Reject("eis", "ops", "wrong step")); // ignored
    runner.tell(new ExperimentRunner.Approve("anneal", "ops"));
    b.campaign.expectMessageClass(ExperimentRunner.Succeeded.class, Duration.ofSeconds(60));
    int granted = indexOf(b, r -> RunnerBench.event(r, "approval_granted"));
    int annealSent = indexOf(b, r -> r instanceof StoreRecord.CommandSent c && c.stepId().equals("anneal"));
    assertTrue(granted >= 0 && granted < annealSent, "the approval is recorded before the anneal is sent");
  }

  @Test
  void atGateARejectionFailsWithoutBlamingAnInstrument(@TempDir Path dir) throws Exception {
    RunnerBench b = new RunnerBench(KIT, withGateOnAnneal(dir), Map.of());
    var runner = b.start("c-test-e001");
    b.campaign.expectMessageClass(ExperimentRunner.ApprovalNeeded.class, Duration.ofSeconds(10));
    runner.tell(new ExperimentRunner.Reject("anneal", "ops", "powder looks wet"));
    var failed = b.campaign.expectMessageClass(ExperimentRunner.Failed.class, Duration.ofSeconds(10));
    assertNull(failed.instrument());
    b.awaitRecord(StoreRecord.Event.class, e -> e.kind().equals("approval_rejected"));
  }

  @Test
  void analysingAHealthyRunEndsWithAResultNamingTheInstrumentsThatDidIt() {
    RunnerBench b = bench(Map.of());
    var runner = b.start("c-test-e001");
    var ok = b.campaign.expectMessageClass(ExperimentRunner.Succeeded.class, Duration.ofSeconds(60));
    assertEquals(2e-3, Math.pow(10, ok.analysis().arrhenius().log10Sigma25()), 2e-4);
    assertEquals(0.3, ok.analysis().arrhenius().eaEv(), 0.03);
    assertTrue(ok.instruments().contains("robot-1") && ok.instruments().contains("eis-1"), ok.instruments().toString());
    b.awaitRecord(StoreRecord.ResultRecorded.class, r -> true);
    TestProbe<Object> watcher = KIT.createTestProbe();
    watcher.expectTerminated(runner, Duration.ofSeconds(5));
  }

  @Test
  void abortWhileAFurnaceRunsTellsItToStopAndFails() {
    RunnerBench b = bench(Map.of("furnace-1", on("anneal", c -> null)));
    b.locks.tell(new ResourceLocks.Quarantine("furnace-2", "inspect"));
    var runner = b.start("c-test-e001");
    b.awaitCommands("furnace-1", 1);
    runner.tell(new ExperimentRunner.Abort("operator"));
    var failed = b.campaign.expectMessageClass(ExperimentRunner.Failed.class, Duration.ofSeconds(10));
    assertTrue(failed.reason().startsWith("aborted"), failed.reason());
    b.awaitCommands("furnace-1", 2);
    assertEquals("stop", b.devices.get("furnace-1").actions().get(1));
  }

  @Test
  void aReplyForAnotherCommandIsIgnored() {
    AtomicInteger n = new AtomicInteger();
    // The robot answers its first command with the done of some other command id, then goes quiet.
    RunnerBench b = bench(Map.of("robot-1", c -> n.getAndIncrement() == 0
        ? new InstrumentEvent.Done("someone-else:dispense", Map.of()) : null));
    b.start("c-test-e001");
    b.awaitCommands("robot-1", 1);
    b.campaign.expectNoMessage(Duration.ofMillis(300));
    assertEquals(1, b.devices.get("robot-1").sent().size(), "another command's done moved the experiment on");
    assertFalse(b.recorded(r -> r instanceof StoreRecord.ReplyReceived));
  }

  private static int indexOf(RunnerBench b, java.util.function.Predicate<StoreRecord> test) {
    for (int i = 0; i < b.records.size(); i++) {
      if (test.test(b.records.get(i))) {
        return i;
      }
    }
    return -1;
  }

  private static ProtocolSpec withGateOnAnneal(Path dir) throws Exception {
    String text = Files.readString(Path.of("protocols/argyrodite-solid-state.yaml")).replace(
        "    action: anneal\n", "    action: anneal\n    approval: \"Check the pellet sits in the crucible\"\n");
    Path p = dir.resolve("gated.yaml");
    Files.writeString(p, text);
    return ProtocolSpec.load(p);
  }

  private static ProtocolSpec withRetries(Path dir, int retries) throws Exception {
    String text = Files.readString(Path.of("protocols/argyrodite-solid-state.yaml")).replace(
        "    timeout: PT30M\n", "    timeout: PT30M\n    retries: " + retries + "\n");
    Path p = dir.resolve("retries.yaml");
    Files.writeString(p, text);
    return ProtocolSpec.load(p);
  }
}
