package org.ionloop.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.ionloop.instruments.InstrumentRegistry;
import org.ionloop.instruments.InstrumentSpec;
import org.ionloop.protocols.ProtocolSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ionloop validate FILE…}: checks campaign, protocol and instrument files, runs nothing. */
@Command(name = "validate", mixinStandardHelpOptions = true,
    description = "Validate campaign, protocol and instrument files without running anything.")
final class ValidateCommand implements Callable<Integer> {
  @Parameters(arity = "1..*", description = "Files to check; the kind is taken from the folder name.")
  List<Path> files;

  @Option(names = "--instruments", defaultValue = "instruments", description = "Instrument folder (default ${DEFAULT-VALUE}).")
  Path instruments;

  @Override
  public Integer call() {
    for (Path f : files) {
      String folder = f.toAbsolutePath().getParent().getFileName().toString();
      switch (folder) {
        case "instruments" -> InstrumentSpec.load(f);
        case "protocols" -> ProtocolSpec.load(f);
        default -> CampaignLauncher.validate(f, InstrumentRegistry.load(instruments));
      }
      System.out.println(f + ": ok");
    }
    return 0;
  }
}
