package org.ionloop.campaign;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ionloop.analysis.eis.ArrheniusFit;
import org.ionloop.planner.space.Precursor;
import org.ionloop.protocols.ResultCalculator;
import org.ionloop.store.StoreRecord;

/** A campaign's objectives computed from what one experiment measured and what it was made of. */
public final class ObjectiveValues implements ResultCalculator {
  private final List<Objective> objectives;
  private final Map<String, Precursor> catalogue;

  public ObjectiveValues(List<Objective> objectives, Map<String, Precursor> catalogue) {
    this.objectives = List.copyOf(objectives);
    this.catalogue = Map.copyOf(catalogue);
  }

  @Override
  public boolean needsArrhenius() {
    return objectives.stream().anyMatch(o -> o.source().needsArrhenius());
  }

  @Override
  public Map<String, StoreRecord.Value> objectives(ArrheniusFit.Result arrhenius,
      Map<String, StoreRecord.Value> measurements, Map<String, Double> fractions) {
    Map<String, StoreRecord.Value> out = new LinkedHashMap<>();
    for (Objective o : objectives) {
      out.put(o.name(), value(o, arrhenius, measurements, fractions));
    }
    return out;
  }

  private StoreRecord.Value value(Objective o, ArrheniusFit.Result arrhenius,
      Map<String, StoreRecord.Value> measurements, Map<String, Double> fractions) {
    ObjectiveSource source = o.source();
    if (source.needsArrhenius() && arrhenius == null) {
      throw new IllegalStateException("objective '" + o.name() + "' (" + source.said()
          + ") needs an Arrhenius fit, and the spectra gave none");
    }
    if (source instanceof ObjectiveSource.Conductivity c) {
      return new StoreRecord.Value(arrhenius.log10SigmaAt(c.temperatureC()),
          arrhenius.log10SigmaStdErrAt(c.temperatureC()));
    }
    if (source instanceof ObjectiveSource.ActivationEnergy) {
      return new StoreRecord.Value(arrhenius.eaEv(), arrhenius.eaStdErrEv());
    }
    if (source instanceof ObjectiveSource.Measurement m) {
      StoreRecord.Value v = measurements.get(m.measurement());
      if (v == null) {
        throw new IllegalStateException("objective '" + o.name() + "': no step reported measurement '"
            + m.measurement() + "'");
      }
      return v;
    }
    if (source instanceof ObjectiveSource.PrecursorCost) {
      return new StoreRecord.Value(costPerGram(fractions), 0);
    }
    ObjectiveSource.ElementFraction e = (ObjectiveSource.ElementFraction) source;
    return new StoreRecord.Value(elementFraction(e.element(), fractions), 0);
  }

  /** Price of the batch's precursors per gram: Σ xᵢ·Mᵢ·priceᵢ / Σ xᵢ·Mᵢ over mole fractions xᵢ. */
  double costPerGram(Map<String, Double> fractions) {
    double grams = 0;
    double cost = 0;
    for (Map.Entry<String, Double> f : fractions.entrySet()) {
      Precursor p = precursor(f.getKey());
      double g = f.getValue() * p.molarMassGPerMol();
      grams += g;
      cost += g * p.pricePerG();
    }
    return grams > 0 ? cost / grams : Double.NaN;
  }

  /** Atoms of {@code element} per atom of the mixture: Σ xᵢ·nᵢ(E) / Σ xᵢ·nᵢ. */
  double elementFraction(String element, Map<String, Double> fractions) {
    double atoms = 0;
    double of = 0;
    for (Map.Entry<String, Double> f : fractions.entrySet()) {
      Map<String, Double> counts = precursor(f.getKey()).formula().elements();
      atoms += f.getValue() * counts.values().stream().mapToDouble(Double::doubleValue).sum();
      of += f.getValue() * counts.getOrDefault(element, 0.0);
    }
    return atoms > 0 ? of / atoms : Double.NaN;
  }

  private Precursor precursor(String name) {
    Precursor p = catalogue.get(name);
    if (p == null) {
      throw new IllegalStateException("precursor '" + name + "' is not in the campaign's catalogue");
    }
    return p;
  }
}
