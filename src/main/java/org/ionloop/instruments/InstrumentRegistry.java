package org.ionloop.instruments;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.ionloop.spec.SpecException;

/** The instruments of a lab, loaded from every {@code *.yaml} in a folder. */
public final class InstrumentRegistry {
  private final Map<String, InstrumentSpec> byId;

  public InstrumentRegistry(Map<String, InstrumentSpec> byId) {
    this.byId = Map.copyOf(byId);
  }

  /** Loads every instrument file; ids must be unique. */
  public static InstrumentRegistry load(Path folder) {
    Map<String, InstrumentSpec> specs = new TreeMap<>();
    try (Stream<Path> files = Files.list(folder)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
        InstrumentSpec s = InstrumentSpec.load(f);
        if (specs.putIfAbsent(s.id(), s) != null) {
          throw new SpecException(f, 0, "id", "duplicate instrument id '" + s.id() + "'");
        }
      }
    } catch (IOException e) {
      throw new SpecException(folder, 0, "(folder)", "cannot list instruments: " + e.getMessage());
    }
    return new InstrumentRegistry(specs);
  }

  public Optional<InstrumentSpec> find(String id) {
    return Optional.ofNullable(byId.get(id));
  }

  public Map<String, InstrumentSpec> all() {
    return byId;
  }

  /** A copy with one instrument replaced. */
  public InstrumentRegistry with(InstrumentSpec spec) {
    Map<String, InstrumentSpec> m = new TreeMap<>(byId);
    m.put(spec.id(), spec);
    return new InstrumentRegistry(m);
  }
}
