package org.ionloop.campaign;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ionloop.Installation;
import org.ionloop.planner.BatchSelector;
import org.ionloop.planner.space.DesignSpace;
import org.ionloop.planner.space.Precursor;
import org.ionloop.protocols.ProtocolSpec;
import org.ionloop.spec.SpecDocument;
import org.ionloop.spec.SpecException;
import org.ionloop.spec.SpecNode;

/**
 * A campaign file ({@code campaigns/*.yaml}, schema version 1), validated on load. Its protocol
 * and model are looked up as {@link CampaignFiles} says; nothing in it names a program to run or
 * a folder to write in (those are the {@link Installation}'s).
 *
 * @param conditions    conditioning targets for the proposer, in the model card's order
 * @param instruments   role → instrument ids (a pool: any free one serves an experiment)
 * @param retrain       how the proposer is retrained on the campaign's results, or null for never
 */
public record CampaignSpec(
    Path file, String yaml, String name, long seed, List<Objective> objectives,
    DesignSpace space, double[] conditions, int experiments, int parallel,
    Path modelDir, int candidatesPerDecision, double guidance, int ddimSteps,
    double surrogateGuidance, BatchSelector.Settings planner, Path protocol, Map<String, List<String>> instruments,
    Retraining retrain, Limits limits, Map<String, Precursor> precursors) {

  /** What this campaign makes of an experiment's measurements. */
  public ObjectiveValues results() {
    return new ObjectiveValues(objectives, precursors);
  }

  /**
   * {@code budget}'s guards against burning the budget on a lab that cannot finish: after
   * {@code maxConsecutiveFailures} failed experiments in a row on one instrument the campaign
   * pauses; a proposer or planner that has not answered within {@code decisionTimeout} pauses it.
   */
  public record Limits(int maxConsecutiveFailures, java.time.Duration decisionTimeout) {
    public static final Limits DEFAULT = new Limits(3, java.time.Duration.ofMinutes(10));
  }

  /**
   * {@code proposer.retrain}: every how many results, and the trainer's settings. The trainer
   * command in the settings is the installation's default until the campaign's host sets the
   * configured one.
   */
  public record Retraining(int every, org.ionloop.proposer.retrain.Retrainer.Settings settings) {}

  /** Fields that once were campaign settings and are now the installer's, with where they went. */
  private static final Map<String, String> INSTALLER_FIELDS = Map.of(
      "command", "ionloop.installation.trainer-command",
      "work_dir", "ionloop.installation.retrain-dir (or IONLOOP_RETRAIN_DIR)");

  /** The conditioning targets a campaign may set, in the model's order, with their defaults. */
  private static final String[] CONDITIONS = {"log10_sigma_s_cm", "temperature_c", "e_hull_mev_per_atom"};

  /**
   * Loads and validates a campaign file.
   *
   * @throws SpecException naming the file, line and field of the first problem
   */
  public static CampaignSpec load(Path file) {
    return load(file, CampaignFiles.besideFile(file, Installation.current()));
  }

  /**
   * Loads and validates a campaign file whose protocol and model are looked up in {@code files}.
   *
   * @throws SpecException naming the file, line and field of the first problem
   */
  public static CampaignSpec load(Path file, CampaignFiles files) {
    SpecDocument doc = SpecDocument.read(file);
    String yaml = doc.text();
    SpecNode root = doc.root();
    root.allowOnly("version", "name", "description", "seed", "objectives", "design_space",
        "conditioning", "budget", "proposer", "planner", "protocol", "instruments");
    if (root.requiredInt("version") != 1) {
      throw root.required("version").error("unsupported version (this ionloop reads 1)");
    }
    String name = root.requiredText("name");
    long seed = root.optionalLong("seed", 42);

    List<SpecNode> objectiveNodes = root.list("objectives");
    if (objectiveNodes.isEmpty()) {
      throw root.required("objectives").error("must list at least one objective");
    }
    List<Objective> objectives = new ArrayList<>();
    Map<String, SpecNode> objectiveNames = new LinkedHashMap<>();
    for (SpecNode o : objectiveNodes) {
      o.allowOnly("name", "from", "temperature_c", "measurement", "element", "direction", "unit",
          "reference", "noise_sd");
      String on = o.requiredColumnName("name");
      SpecNode before = objectiveNames.putIfAbsent(on, o);
      if (before != null) {
        throw o.required("name").error("objective '" + on + "' is already listed (line " + before.line() + ")");
      }
      String dir = o.requiredText("direction");
      if (!dir.equals("maximize") && !dir.equals("minimize")) {
        throw o.required("direction").error("must be 'maximize' or 'minimize'");
      }
      double noiseSd = o.optionalDouble("noise_sd", Double.NaN);
      if (o.has("noise_sd") && !(noiseSd > 0 && Double.isFinite(noiseSd))) {
        throw o.required("noise_sd").error("must be a standard deviation > 0 in the objective's "
            + "unit, got " + o.required("noise_sd").raw());
      }
      objectives.add(new Objective(on, objectiveSource(o, on), dir.equals("maximize"), o.optionalText("unit", ""),
          o.requiredDouble("reference"), noiseSd));
    }
    if (objectives.size() > MAX_OBJECTIVES) {
      throw root.required("objectives").error("lists " + objectives.size() + " objectives; the planner's"
          + " hypervolume works with up to " + MAX_OBJECTIVES);
    }

    SpecNode ds = root.requiredObject("design_space");
    ds.allowOnly("precursors", "process", "constraints");
    List<DesignSpace.Range> precursors = new ArrayList<>();
    double sumMin = 0;
    double sumMax = 0;
    Map<String, Precursor> catalogue = new LinkedHashMap<>();
    Map<Map<String, Double>, SpecNode> compounds = new java.util.HashMap<>();
    for (Map.Entry<String, SpecNode> e : ds.requiredObject("precursors").entries().entrySet()) {
      SpecNode p = e.getValue();
      Precursor precursor = precursor(file, e.getKey(), p);
      SpecNode same = compounds.putIfAbsent(new java.util.TreeMap<>(precursor.formula().elements()), p);
      if (same != null) {
        throw new SpecException(file, p.line(), p.path(), "'" + e.getKey() + "' is the same compound as '"
            + same.path().substring(same.path().lastIndexOf('.') + 1) + "' (line " + same.line() + "): list it once");
      }
      catalogue.put(e.getKey(), precursor);
      DesignSpace.Range r = range(p, e.getKey(), "mol fraction", 0, 1,
          "price_per_g", "purity", "density_g_cm3", "charge_check");
      sumMin += r.min();
      sumMax += r.max();
      precursors.add(r);
    }
    if (precursors.size() < 2) {
      throw ds.required("precursors").error("needs at least two precursors");
    }
    if (sumMin > 1 + 1e-9 || sumMax < 1 - 1e-9) {
      throw ds.required("precursors").error(String.format(
          "bounds admit no composition: fractions must sum to 1, but Σmin = %.3f and Σmax = %.3f",
          sumMin, sumMax));
    }
    List<DesignSpace.Range> process = new ArrayList<>();
    for (Map.Entry<String, SpecNode> e : ds.entries("process").entrySet()) {
      process.add(range(e.getValue(), e.getKey(), e.getValue().optionalText("unit", ""),
          Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY));
    }
    DesignSpace space = DesignSpaceConstraints.parse(ds, precursors, process);

    // Without a proposer section the planner works alone over the design space (no model covers
    // it); conditioning targets are the proposer's and then have no reader.
    boolean proposed = root.has("proposer");
    double[] conditions = new double[0];
    if (proposed) {
      SpecNode cond = root.requiredObject("conditioning");
      cond.allowOnly(CONDITIONS);
      conditions = new double[CONDITIONS.length];
      for (int i = 0; i < CONDITIONS.length; i++) {
        // The stability target is for a model that takes it; checkModelFits says which must.
        conditions[i] = i == 2 ? cond.optionalDouble(CONDITIONS[i], Double.NaN) : cond.requiredDouble(CONDITIONS[i]);
      }
    } else if (root.has("conditioning")) {
      throw root.required("conditioning").error("conditions the proposer, and this campaign has no proposer"
          + " section (the planner works alone): remove it, or name a proposer model");
    }

    SpecNode budget = root.requiredObject("budget");
    budget.allowOnly("experiments", "parallel", "max_consecutive_failures", "decision_timeout");
    int experiments = budget.requiredInt("experiments");
    if (experiments <= 0) {
      throw budget.required("experiments").error("must be a positive number of experiments, got "
          + experiments);
    }
    int parallel = budget.optionalInt("parallel", 1);
    if (parallel <= 0) {
      throw budget.required("parallel").error("must be ≥ 1, got " + parallel);
    }
    Limits limits = new Limits(positive(budget, "max_consecutive_failures", Limits.DEFAULT.maxConsecutiveFailures()),
        budget.optionalDuration("decision_timeout", Limits.DEFAULT.decisionTimeout()));

    Path model = null;
    int candidates = 256;
    double guidance = 2.0;
    int steps = 40;
    double surrogateGuidance = 0.0;
    Retraining retrain = null;
    if (proposed) {
      SpecNode prop = root.requiredObject("proposer");
      prop.allowOnly("model", "candidates", "guidance", "ddim_steps", "surrogate_guidance", "retrain");
      CampaignFiles.Model found = files.model(prop, "model");
      checkModelFits(prop.required("model"), found.card(), space, conditions.length);
      checkConditioningFits(root.requiredObject("conditioning"), prop.required("model"), found.card(), conditions);
      model = found.dir();
      candidates = positive(prop, "candidates", 256);
      guidance = prop.optionalDouble("guidance", 2.0);
      steps = positive(prop, "ddim_steps", 40);
      // Steers samples up the planner's surrogate score once it has a model (0: off).
      surrogateGuidance = prop.optionalDouble("surrogate_guidance", 0.0);
      if (surrogateGuidance < 0 || surrogateGuidance > 10) {
        throw prop.required("surrogate_guidance").error("must be between 0 (off) and 10, got " + surrogateGuidance);
      }
      retrain = prop.has("retrain") ? retraining(prop.requiredObject("retrain")) : null;
      if (found.card().elementSpace() && surrogateGuidance > 0) {
        throw prop.required("surrogate_guidance").error("steers a model of the design vector; model '"
            + prop.required("model").raw().asText() + "' samples element fractions: set it to 0 or remove it");
      }
      if (retrain != null && found.card().baseData() == null) {
        throw prop.required("retrain").error("model '" + prop.required("model").raw().asText() + "' names no base"
            + " data (training.base_data in its card): retraining needs the data it was trained on");
      }
    }

    BatchSelector.Settings planner = BatchSelector.Settings.defaults()
        .withNoiseSd(objectives.stream().mapToDouble(Objective::noiseSd).toArray());
    if (root.has("planner")) {
      SpecNode plan = root.requiredObject("planner");
      plan.allowOnly("initial_points", "mc_samples", "acquisition", "candidates");
      if (!proposed) {
        candidates = positive(plan, "candidates", candidates); // random feasible points per decision
      } else if (plan.has("candidates")) {
        throw plan.required("candidates").error("is for a campaign without a proposer; with one, set"
            + " proposer.candidates");
      }
      planner = planner.withInitialPoints(positive(plan, "initial_points", 6))
          .withMcSamples(positive(plan, "mc_samples", 128));
      String acquisition = plan.optionalText("acquisition", "qnehvi");
      planner = switch (acquisition) {
        case "qnehvi" -> planner.withMethod(BatchSelector.Method.QNEHVI);
        case "qparego" -> planner.withMethod(BatchSelector.Method.QPAREGO);
        default -> throw plan.required("acquisition").error("unknown acquisition '"
            + acquisition + "' (known: qnehvi, qparego)");
      };
    }

    Path protocol = files.protocol(root, "protocol");
    checkObjectivesMeasured(objectives, objectiveNodes, ProtocolSpec.load(protocol), catalogue);
    Map<String, List<String>> instruments = new LinkedHashMap<>();
    for (Map.Entry<String, SpecNode> e : root.requiredObject("instruments").entries().entrySet()) {
      SpecNode v = e.getValue();
      List<String> ids = new ArrayList<>();
      if (v.raw().isTextual()) {
        ids.add(v.raw().asText());
      } else if (v.raw().isArray() && v.raw().size() > 0) {
        for (var id : v.raw()) {
          if (!id.isTextual() || ids.contains(id.asText())) {
            throw v.error("must list distinct instrument ids");
          }
          ids.add(id.asText());
        }
      } else {
        throw v.error("must be an instrument id or a list of them");
      }
      instruments.put(e.getKey(), List.copyOf(ids));
    }
    return new CampaignSpec(file, yaml, name, seed, List.copyOf(objectives), space, conditions,
        experiments, parallel, model, candidates, guidance, steps, surrogateGuidance, planner, protocol,
        Map.copyOf(instruments), retrain, limits, java.util.Collections.unmodifiableMap(catalogue));
  }

  /** Objectives the planner's exact hypervolume handles in reasonable time. */
  static final int MAX_OBJECTIVES = 4;

  /**
   * What an objective is computed from. Without {@code from}, the two names campaigns used before
   * objectives were data keep their meaning: {@code log10_sigma25} and {@code ea_ev}.
   */
  private static ObjectiveSource objectiveSource(SpecNode o, String name) {
    String from = o.optionalText("from", switch (name) {
      case "log10_sigma25" -> "conductivity";
      case "ea_ev" -> "activation_energy";
      default -> null;
    });
    if (from == null) {
      throw o.error("objective '" + name + "' needs 'from': conductivity (with temperature_c),"
          + " activation_energy, measurement (with measurement: a name a protocol step declares),"
          + " precursor_cost or element_fraction (with element)");
    }
    List<String> extra = switch (from) {
      case "conductivity" -> List.of("temperature_c");
      case "measurement" -> List.of("measurement");
      case "element_fraction" -> List.of("element");
      default -> List.of();
    };
    for (String field : List.of("temperature_c", "measurement", "element")) {
      if (o.has(field) && !extra.contains(field)) {
        throw o.required(field).error("does not apply to 'from: " + from + "'");
      }
    }
    return switch (from) {
      case "conductivity" -> {
        double t = o.has("temperature_c") ? o.requiredDouble("temperature_c")
            : name.equals("log10_sigma25") ? 25 : Double.NaN;
        if (Double.isNaN(t)) {
          throw o.error("'from: conductivity' needs temperature_c: the cell temperature (°C) the"
              + " conductivity is wanted at");
        }
        if (t < -50 || t > 400) {
          throw o.required("temperature_c").error("must be a cell temperature in −50..400 °C, got " + t);
        }
        yield new ObjectiveSource.Conductivity(t);
      }
      case "activation_energy" -> new ObjectiveSource.ActivationEnergy();
      case "measurement" -> new ObjectiveSource.Measurement(o.optionalText("measurement", name));
      case "precursor_cost" -> new ObjectiveSource.PrecursorCost();
      case "element_fraction" -> {
        String element = o.requiredText("element");
        if (org.ionloop.chemistry.Elements.bySymbol(element).isEmpty()) {
          throw o.required("element").error("'" + element + "' is not an element symbol");
        }
        yield new ObjectiveSource.ElementFraction(element);
      }
      default -> throw o.required("from").error("unknown source '" + from + "' (known: conductivity,"
          + " activation_energy, measurement, precursor_cost, element_fraction)");
    };
  }

  /**
   * Every objective must have something behind it: spectra at two or more temperatures for
   * conductivity and Ea, a step declaring the named measurement, prices for a cost, the element in
   * some precursor for its fraction.
   */
  private static void checkObjectivesMeasured(List<Objective> objectives, List<SpecNode> nodes,
      ProtocolSpec protocol, Map<String, Precursor> catalogue) {
    for (int i = 0; i < objectives.size(); i++) {
      Objective obj = objectives.get(i);
      SpecNode at = nodes.get(i);
      ObjectiveSource source = obj.source();
      if (source.needsArrhenius()) {
        requireArrhenius(at, obj, protocol);
      } else if (source instanceof ObjectiveSource.Measurement m) {
        if (!protocol.measurements().containsKey(m.measurement())) {
          throw (at.has("measurement") ? at.required("measurement") : at.required("name")).error(
              "objective '" + obj.name() + "' is computed from measurement '" + m.measurement()
              + "', which no step of protocol " + protocol.file() + " declares (declared: "
              + (protocol.measurements().isEmpty() ? "none" : String.join(", ", protocol.measurements().keySet()))
              + "); add it to a step's 'measures'");
        }
      } else if (source instanceof ObjectiveSource.PrecursorCost) {
        List<String> unpriced = catalogue.values().stream().filter(pr -> pr.pricePerG() == null)
            .map(Precursor::name).toList();
        if (!unpriced.isEmpty()) {
          throw at.required("name").error("objective '" + obj.name() + "' is a precursor cost, but "
              + String.join(", ", unpriced) + " ha" + (unpriced.size() == 1 ? "s" : "ve")
              + " no price_per_g in design_space.precursors");
        }
      } else if (source instanceof ObjectiveSource.ElementFraction e) {
        if (catalogue.values().stream().noneMatch(pr -> pr.formula().count(e.element()) > 0)) {
          throw at.required("element").error("no precursor contains " + e.element()
              + ": its fraction would be 0 in every experiment");
        }
      }
    }
  }

  private static void requireArrhenius(SpecNode at, Objective obj, ProtocolSpec protocol) {
    if (protocol.impedanceTemperatures() < 2) {
      throw at.required("name").error("objective '" + obj.name() + "' is the " + obj.source().said()
          + " from an Arrhenius fit, but protocol " + protocol.file() + " measures impedance at "
          + protocol.impedanceTemperatures() + " temperature(s); it needs a step with two or more"
          + " temperatures_c");
    }
  }

  private static Retraining retraining(SpecNode r) {
    for (Map.Entry<String, String> f : INSTALLER_FIELDS.entrySet()) {
      if (r.raw().has(f.getKey())) {
        throw r.required(f.getKey()).error("is not a campaign setting: a campaign cannot choose a"
            + " program to run or a folder to write in; whoever installs ionloop sets "
            + f.getValue() + ". Remove the field.");
      }
    }
    if (r.raw().has("base_rows")) {
      throw r.required("base_rows").error("is gone: retraining keeps training on the model's own base data"
          + " (the file its card names as training.base_data). Remove the field.");
    }
    r.allowOnly("every", "epochs", "weight", "tolerance", "timeout");
    var d = org.ionloop.proposer.retrain.Retrainer.Settings.DEFAULT;
    double tolerance = r.optionalDouble("tolerance", d.tolerance());
    if (!(tolerance >= 0)) {
      throw r.required("tolerance").error("must be ≥ 0 (relative increase of the held-out loss allowed)");
    }
    java.time.Duration timeout = r.optionalDuration("timeout", d.timeout());
    var settings = new org.ionloop.proposer.retrain.Retrainer.Settings(
        d.command(), positive(r, "epochs", d.epochs()),
        null, positive(r, "weight", d.weight()), tolerance, timeout);
    return new Retraining(positive(r, "every", 24), settings);
  }

  /**
   * The model must generate exactly the campaign's design variables, in order, and take its
   * conditions; otherwise {@code run} would fail when it loads the model.
   */
  private static void checkModelFits(SpecNode at, org.ionloop.proposer.model.ModelCard card, DesignSpace space,
      int conditions) {
    if (card.elementSpace()) {
      List<String> unknown = org.ionloop.proposer.DiffusionProposer.unknownElements(card, space);
      if (!unknown.isEmpty()) {
        throw at.error("model '" + at.raw().asText() + "' samples compositions of " + card.elements().size()
            + " elements and knows no " + String.join(", ", unknown) + " (in the campaign's precursors); without"
            + " a model that covers them, remove the proposer and conditioning sections and the planner works alone");
      }
      return;
    }
    List<String> generated = card.generates();
    if (!generated.equals(space.names())) {
      throw at.error("model '" + at.raw().asText() + "' generates " + generated
          + ", but the design space is " + space.names() + " (same names, same order); without a model"
          + " that covers it, remove the proposer and conditioning sections and the planner works alone");
    }
    if (card.condMean() != null && card.condMean().length != conditions) {
      throw at.error("model '" + at.raw().asText() + "' takes " + card.condMean().length
          + " conditions, the campaign gives " + conditions);
    }
  }

  /**
   * The stability target (e_hull_mev_per_atom) goes to a model that takes it, and only to one:
   * an element-space model's card says why it has none.
   */
  private static void checkConditioningFits(SpecNode conditioning, SpecNode model,
      org.ionloop.proposer.model.ModelCard card, double[] conditions) {
    boolean takesStability = !card.elementSpace();
    if (takesStability && Double.isNaN(conditions[2])) {
      throw conditioning.error("needs e_hull_mev_per_atom: model '" + model.raw().asText()
          + "' is conditioned on the energy above hull");
    }
    if (!takesStability && !Double.isNaN(conditions[2])) {
      throw conditioning.required("e_hull_mev_per_atom").error("model '" + model.raw().asText()
          + "' has no stability condition (no source of energy above hull for its training data); remove it");
    }
  }

  /**
   * A design-space precursor: its key is its chemical formula (checked for charge neutrality
   * unless {@code charge_check: false}), with the lab's optional price, purity and density.
   */
  private static Precursor precursor(Path file, String formula, SpecNode p) {
    boolean chargeCheck = true;
    if (p.has("charge_check")) {
      SpecNode c = p.required("charge_check");
      if (!c.raw().isBoolean()) {
        throw c.error("must be true or false");
      }
      chargeCheck = c.raw().asBoolean();
    }
    Precursor precursor;
    try {
      precursor = Precursor.of(formula, chargeCheck);
    } catch (org.ionloop.chemistry.FormulaException e) {
      throw new SpecException(file, p.line(), p.path(), "not a chemical formula: " + e.getMessage());
    } catch (IllegalArgumentException e) {
      throw new SpecException(file, p.line(), p.path(), e.getMessage());
    }
    Double price = p.has("price_per_g") ? positiveNumber(p, "price_per_g") : null;
    Double density = p.has("density_g_cm3") ? positiveNumber(p, "density_g_cm3") : null;
    Double purity = null;
    if (p.has("purity")) {
      purity = p.requiredDouble("purity");
      if (!(purity > 0 && purity <= 1)) {
        throw p.required("purity").error("must be a mass fraction in (0, 1], got " + purity);
      }
    }
    return precursor.with(price, purity, density);
  }

  private static double positiveNumber(SpecNode n, String field) {
    double v = n.requiredDouble(field);
    if (!(v > 0) || !Double.isFinite(v)) {
      throw n.required(field).error("must be a positive number, got " + v);
    }
    return v;
  }

  private static DesignSpace.Range range(SpecNode n, String name, String unit, double lo, double hi,
      String... alsoAllowed) {
    List<String> allowed = new ArrayList<>(List.of("min", "max", "unit", "levels"));
    allowed.addAll(List.of(alsoAllowed));
    n.allowOnly(allowed.toArray(String[]::new));
    double min = n.requiredDouble("min");
    double max = n.requiredDouble("max");
    if (min < lo || max > hi) {
      throw n.error("bounds must lie within [" + lo + ", " + hi + "]");
    }
    if (min > max) {
      throw n.required("min").error("min " + min + " is above max " + max);
    }
    double[] levels = null;
    if (n.has("levels")) {
      List<SpecNode> items = n.list("levels");
      if (items.isEmpty()) {
        throw n.required("levels").error("must list at least one level");
      }
      levels = new double[items.size()];
      for (int i = 0; i < levels.length; i++) {
        levels[i] = items.get(i).asDouble();
        if (levels[i] < min || levels[i] > max) {
          throw items.get(i).error("level " + levels[i] + " lies outside [" + min + ", " + max
              + "]");
        }
      }
    }
    return new DesignSpace.Range(name, unit, min, max, levels);
  }

  private static int positive(SpecNode n, String field, int fallback) {
    int v = n.optionalInt(field, fallback);
    if (v <= 0) {
      throw n.required(field).error("must be > 0, got " + v);
    }
    return v;
  }

  /** Reference point for the hypervolume, oriented for maximisation. */
  public double[] orientedReference() {
    return objectives.stream().mapToDouble(o -> o.oriented(o.reference())).toArray();
  }
}
