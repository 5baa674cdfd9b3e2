package org.ionloop.cli;

import org.ionloop.TestCampaigns;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ionloop.store.CampaignHistory;
import org.ionloop.store.CampaignRepository;
import org.ionloop.store.Database;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real orchestrator process is killed with SIGKILL in the middle of a campaign and started
 * again. The lab is the native topology ({@code deploy/native/lab.sh}): Mosquitto with the lab's
 * ACL, and each simulated instrument its own process, all counting the physical steps they do.
 * The campaign must finish its budget with every experiment stored once, every measurement
 * kept, and no physical step done twice.
 */
class CrashResumeIT {
  /** The store the orchestrator uses: null for the default, an H2 file in the lab folder. */
  String jdbcUrl() throws Exception {
    return null;
  }

  private static final int BUDGET = 10;
  private static final Pattern CAMPAIGN_ID = Pattern.compile("campaign (c\\d{8}-\\d{6}-[0-9a-f]+)");

  @TempDir
  Path dir;
  private String store;
  private NativeLab lab;

  @AfterEach
  void down() throws Exception {
    if (lab != null) {
      lab.run("down").waitFor(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void aKilledOrchestratorResumesWithEveryExperimentOnceAndNoPhysicalStepTwice() throws Exception {
    store = jdbcUrl();
    lab = new NativeLab(dir, Map.of());
    if (store != null) {
      lab.store(store);
    }
    Process up = lab.run("up");
    assertTrue(up.waitFor(120, TimeUnit.SECONDS) && up.exitValue() == 0, log("up.out"));
    Path campaign = dir.resolve("crash.yaml");
    Files.writeString(campaign, TestCampaigns.demoCopy()
        .replace("experiments: 24", "experiments: " + BUDGET));

    Process first = lab.run("run", campaign.toString());
    String campaignId = awaitRunningExperiments(first, "run.out");
    first.destroyForcibly(); // SIGKILL: no shutdown hook, no flushing, whatever was in flight
    first.waitFor(10, TimeUnit.SECONDS);

    Process second = lab.run("recover", campaignId);
    second.getOutputStream().close();
    assertTrue(second.waitFor(240, TimeUnit.SECONDS), "resume did not finish: " + log("recover.out"));
    assertEquals(0, second.exitValue(), log("recover.out"));
    assertTrue(log("recover.out").contains("resuming"), log("recover.out"));

    CampaignRepository repo = new CampaignRepository(Database.open(store != null ? store
        : Database.h2FileUrl(dir.resolve("lab/ionloop"))));
    ResumeChecks.assertEveryExperimentOnce(repo, campaignId, BUDGET);

    CampaignHistory history = CampaignHistory.load(repo, campaignId);
    org.ionloop.TestCampaigns.assertCompleted(history.state());
    // Commands sent and unanswered when the orchestrator died go out again with their own ids.
    java.util.Set<String> inFlight = new java.util.LinkedHashSet<>();
    java.util.Set<String> resent = new java.util.HashSet<>();
    boolean resumed = false;
    for (var r : repo.timeline(campaignId)) {
      String id = r.payload().replaceFirst(".*\"commandId\":\"([^\"]+)\".*", "$1");
      if (r.kind().equals("campaign_state_changed") && r.payload().contains("resumed after a restart")) {
        resumed = true;
      } else if (r.kind().equals("command_sent")) {
        if (!resumed) {
          inFlight.add(id);
        } else {
          resent.add(id);
        }
      } else if (r.kind().equals("reply_received") && !resumed) {
        inFlight.remove(id);
      } else if (r.kind().equals("experiment_ended") && !resumed) {
        inFlight.removeIf(c -> c.startsWith(r.experimentId() + ":"));
      }
    }
    assertTrue(resumed);
    assertTrue(resent.containsAll(inFlight), () -> "in flight at the kill " + inFlight + ", re-sent "
        + resent + "\n" + ResumeChecks.commandsOf(repo, campaignId));

    ResumeChecks.assertNoPhysicalStepTwice(dir.resolve("lab/bench"), BUDGET, () -> ResumeChecks.commandsOf(repo, campaignId)
        + "\n--- resume output:\n" + logQuietly("recover.out") + "\n--- run output:\n" + logQuietly("run.out"));
  }

  /** Waits until some experiments have finished and others are running; the campaign id. */
  private String awaitRunningExperiments(Process p, String out) throws Exception {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < until) {
      String text = log(out);
      Matcher m = CAMPAIGN_ID.matcher(text);
      long done = text.lines().filter(l -> l.contains("] done ")).count();
      long started = text.lines().filter(l -> l.contains("] start ")).count();
      if (m.find() && done >= 3 && started - done >= 2) {
        return m.group(1);
      }
      if (!p.isAlive()) {
        throw new AssertionError("the orchestrator ended before it could be killed: " + text);
      }
      Thread.sleep(50);
    }
    throw new AssertionError("no experiments in flight within 120 s: " + log(out));
  }

  /** The log lines of one experiment, for a failure message. */
  private static String timelineOf(CampaignRepository repo, String campaignId, String experimentId) {
    StringBuilder b = new StringBuilder("--- log of " + experimentId + ":\n");
    for (var r : repo.timeline(campaignId)) {
      if (experimentId.equals(r.experimentId()) || r.kind().startsWith("campaign")) {
        String p = r.payload();
        b.append(r.seq()).append(' ').append(r.ts()).append(' ').append(r.kind()).append(' ')
            .append(p, 0, Math.min(200, p.length())).append('\n');
      }
    }
    return b.toString();
  }

  private String logQuietly(String name) {
    try {
      return log(name);
    } catch (IOException e) {
      return e.toString();
    }
  }

  private String log(String name) throws IOException {
    File f = dir.resolve(name).toFile();
    return f.exists() ? Files.readString(f.toPath()) : "(no " + name + ")";
  }
}
