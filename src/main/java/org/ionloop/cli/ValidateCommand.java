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

  @Option(names = "--instruments", defaultValue = "${sys:ionloop.home:-.}/instruments", description = "Instrument folder (default ${DEFAULT-VALUE}).")
  Path instruments;

  @Option(names = "--json", description = "Check every file and print a JSON array of {file, ok, line, field,"
      + " problem} (line, field and problem null for a good file); exit 2 when any is bad.")
  boolean json;

  @Override
  public Integer call() {
    if (!json) {
      for (Path f : files) {
        check(f);
        System.out.println(f + ": ok");
      }
      return 0;
    }
    var results = new com.fasterxml.jackson.databind.ObjectMapper().createArrayNode();
    boolean allGood = true;
    for (Path f : files) {
      var r = results.addObject().put("file", f.toString());
      try {
        check(f);
        r.put("ok", true).putNull("line").putNull("field").putNull("problem");
      } catch (org.ionloop.spec.SpecException e) {
        allGood = false;
        r.put("ok", false).put("line", e.line()).put("field", e.field()).put("problem", e.problem());
      } catch (org.ionloop.IonloopException e) {
        allGood = false;
        r.put("ok", false).putNull("line").putNull("field").put("problem", e.getMessage());
      }
    }
    System.out.println(results.toPrettyString());
    return allGood ? 0 : 2;
  }

  private void check(Path f) {
    String folder = f.toAbsolutePath().getParent().getFileName().toString();
    switch (folder) {
      case "instruments" -> InstrumentSpec.load(f);
      case "protocols" -> ProtocolSpec.load(f);
      default -> CampaignLauncher.validate(f, InstrumentRegistry.load(instruments));
    }
  }
}
