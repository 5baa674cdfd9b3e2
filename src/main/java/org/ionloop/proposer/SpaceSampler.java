package org.ionloop.proposer;

import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import org.ionloop.planner.space.Candidate;
import org.ionloop.planner.space.DesignSpace;

/**
 * What proposes candidates when no proposer model covers a campaign's design space: random
 * feasible points of the space (every bound and constraint holds), so the planner alone chooses
 * among them, as it does over a pool. Answers {@link Proposer.Propose} like the diffusion
 * proposer, dropping points that repeat a design already made, with the model version
 * {@value #VERSION}.
 */
public final class SpaceSampler {
  /** The "model version" decisions record when the planner works alone. */
  public static final String VERSION = "none (design-space sampling)";

  private SpaceSampler() {}

  public static Behavior<Proposer.Command> create(DesignSpace space, RandomGenerator rng) {
    return Behaviors.receive(Proposer.Command.class)
        .onMessage(Proposer.Propose.class, p -> {
          List<double[]> taken = new ArrayList<>();
          p.made().forEach(m -> taken.add(space.toUnitCube(m)));
          List<Candidate> out = new ArrayList<>();
          int duplicates = 0;
          for (int i = 0; i < p.count(); i++) {
            double[] x = space.sample(rng);
            double[] u = space.toUnitCube(x);
            if (taken.stream().anyMatch(t -> distance(t, u) < Proposer.SAME_DESIGN)) {
              duplicates++;
              continue;
            }
            taken.add(u);
            out.add(new Candidate(p.requestId() + "-u" + i, x));
          }
          p.replyTo().tell(new Proposer.Proposed(p.requestId(), out, VERSION, 0, duplicates, 0, null, 0));
          return Behaviors.same();
        })
        .build();
  }

  private static double distance(double[] a, double[] b) {
    double d2 = 0;
    for (int k = 0; k < a.length; k++) {
      d2 += (a[k] - b[k]) * (a[k] - b[k]);
    }
    return Math.sqrt(d2);
  }
}
