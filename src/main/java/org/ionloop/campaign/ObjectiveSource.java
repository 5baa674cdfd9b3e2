package org.ionloop.campaign;

/**
 * What an objective is computed from. Each source says it in the words a campaign file uses
 * ({@code from: …}), so an error or a report can name it back.
 */
public sealed interface ObjectiveSource {

  /** How the campaign file writes this source. */
  String said();

  /** Whether the protocol must measure impedance spectra at two or more temperatures for it. */
  default boolean needsArrhenius() {
    return false;
  }

  /**
   * log10 of the ionic conductivity (S/cm) at a cell temperature, from the Arrhenius fit of the
   * spectra's conductivities ({@code from: conductivity}, {@code temperature_c: T}).
   */
  record Conductivity(double temperatureC) implements ObjectiveSource {
    @Override
    public String said() {
      return "conductivity at " + (temperatureC == Math.rint(temperatureC)
          ? String.valueOf((long) temperatureC) : String.valueOf(temperatureC)) + " °C (log10 S/cm)";
    }

    @Override
    public boolean needsArrhenius() {
      return true;
    }
  }

  /** The activation energy (eV) of the Arrhenius fit ({@code from: activation_energy}). */
  record ActivationEnergy() implements ObjectiveSource {
    @Override
    public String said() {
      return "activation energy (eV)";
    }

    @Override
    public boolean needsArrhenius() {
      return true;
    }
  }

  /**
   * A measurement a protocol step declares from its instrument's result ({@code from:
   * measurement}, {@code measurement: name}), e.g. an XRD station's phase purity.
   */
  record Measurement(String measurement) implements ObjectiveSource {
    @Override
    public String said() {
      return "measurement '" + measurement + "'";
    }
  }

  /**
   * The precursors' cost per gram of the dispensed batch, from each precursor's
   * {@code price_per_g} and molar mass ({@code from: precursor_cost}). Known before the
   * experiment; recorded with the results so it is plotted and exported beside them.
   */
  record PrecursorCost() implements ObjectiveSource {
    @Override
    public String said() {
      return "precursor cost per gram of batch";
    }
  }

  /**
   * The atom fraction of one element in the precursor mixture ({@code from: element_fraction},
   * {@code element: Li}).
   */
  record ElementFraction(String element) implements ObjectiveSource {
    @Override
    public String said() {
      return "atom fraction of " + element;
    }
  }
}
