package org.ionloop.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import org.ionloop.Installation;
import org.ionloop.instruments.InstrumentRegistry;
import org.ionloop.store.CampaignRepository;

/**
 * A virtual lab for {@code serve --simulated-lab}. The virtual lab is a test bench that lives in
 * the lab classes (src/lab, the {@code lab} jar), not in the product: the server finds it by name
 * when those classes are present and says so when they are not.
 */
interface SimulatedLab extends AutoCloseable {
  /** The implementation in the lab classes. */
  String IMPLEMENTATION = "org.ionloop.cli.VirtualLabForServe";

  /** The campaigns the server runs on this lab. */
  LabCampaigns campaigns();

  /** The lab's MQTT broker, for the start-up line. */
  String brokerUrl();

  @Override
  void close();

  /** Starts one, if the lab classes are on the class path. */
  static SimulatedLab start(InstrumentRegistry registry, Path specDir, CampaignRepository repo, double timeScale,
      Installation installation, PrintStream out) {
    try {
      return (SimulatedLab) Class.forName(IMPLEMENTATION)
          .getDeclaredConstructor(InstrumentRegistry.class, Path.class, CampaignRepository.class, double.class,
              Installation.class, PrintStream.class)
          .newInstance(registry, specDir, repo, timeScale, installation, out);
    } catch (ClassNotFoundException e) {
      throw new IllegalArgumentException("--simulated-lab needs the lab classes (the virtual lab is not part of"
          + " the product jar): run from a checkout with bin/ionloop, or put the ionloop lab jar on the class path");
    } catch (ReflectiveOperationException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      throw new IllegalStateException("cannot start the virtual lab: " + cause.getMessage(), cause);
    }
  }
}
