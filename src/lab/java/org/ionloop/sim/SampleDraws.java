package org.ionloop.sim;

import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * The virtual lab's scatter for one sample and one operation, drawn from a generator of its own
 * (seeded by the device's seed, the experiment the sample belongs to and what is done to it)
 * instead of one stream shared by every sample. A sample's dispensing error, its pellet, its
 * material and its noise then do not depend on which other samples the lab handled before or in
 * parallel — so one campaign with one seed gives the same results under {@code demo} and under
 * {@code serve}, where other campaigns share the instruments.
 */
final class SampleDraws {
  private final long deviceSeed;

  /** @param rng the device's generator: one draw seeds all its samples */
  SampleDraws(RandomGenerator rng) {
    this.deviceSeed = rng.nextLong();
  }

  /** The generator of {@code operation} on sample {@code sampleId}. */
  RandomGenerator of(String sampleId, String operation) {
    return new SplittableRandom(mix(deviceSeed ^ mix(experimentKey(sampleId).hashCode()) ^ operation.hashCode()));
  }

  /**
   * The part of a sample id that names its experiment within its campaign: ionloop's sample ids
   * are {@code <campaign id>-eNNN}, and the campaign id holds the time it was created, which must
   * not change the lab's scatter. Other ids are used whole.
   */
  static String experimentKey(String sampleId) {
    int at = sampleId.lastIndexOf("-e");
    return at >= 0 && sampleId.substring(at + 2).chars().allMatch(Character::isDigit) && at + 2 < sampleId.length()
        ? sampleId.substring(at + 1) : sampleId;
  }

  /** SplittableRandom's 64-bit finaliser (Stafford variant 13): nearby inputs, unrelated seeds. */
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }
}
