package org.ionloop.chemistry;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A chemical formula as a lab writes it: {@code Li2S}, {@code Li7La3Zr2O12},
 * {@code Li0.33La0.56TiO3}, {@code La(NO3)3·6H2O}, {@code [Co(NH3)6]Cl3}. Groups in round or
 * square brackets nest; a hydrate or adduct follows a middle dot ({@code ·}, {@code •}, {@code ⋅})
 * or {@code *}, with an optional leading count. Element symbols are case-sensitive and must have
 * an IUPAC standard atomic weight ({@link Elements}). Counts are positive and may be decimal.
 *
 * @param text     the formula as written
 * @param elements element symbol → amount per formula unit, in order of first appearance
 */
public record ChemicalFormula(String text, Map<String, Double> elements) {

  /**
   * Reads a formula.
   *
   * @throws FormulaException naming the position of the first problem
   */
  public static ChemicalFormula parse(String text) {
    Parser p = new Parser(text);
    Map<String, Double> elements = p.formula();
    return new ChemicalFormula(text, Collections.unmodifiableMap(elements));
  }

  /** Molar mass in g/mol from the standard atomic weights. */
  public double molarMassGPerMol() {
    double m = 0;
    for (var e : elements.entrySet()) {
      m += Elements.bySymbol(e.getKey()).orElseThrow().weight() * e.getValue();
    }
    return m;
  }

  /** Atoms of {@code symbol} per formula unit (0 if absent). */
  public double count(String symbol) {
    return elements.getOrDefault(symbol, 0.0);
  }

  /**
   * An oxidation state per element, each one of the element's common states, under which the
   * formula is charge-neutral (to 0.5 % of its positive charge, for decimal stoichiometries);
   * empty when there is none (a typo such as {@code LiCl2}, or a mixed-valence compound).
   */
  public Optional<Map<String, Integer>> neutralAssignment() {
    List<String> symbols = new ArrayList<>(elements.keySet());
    List<List<Integer>> states = symbols.stream()
        .map(e -> Elements.bySymbol(e).orElseThrow().oxidationStates()).toList();
    int[] choice = new int[symbols.size()];
    while (true) {
      double charge = 0;
      double positive = 0;
      for (int i = 0; i < symbols.size(); i++) {
        double c = states.get(i).get(choice[i]) * elements.get(symbols.get(i));
        charge += c;
        positive += Math.max(0, c);
      }
      if (Math.abs(charge) <= Math.max(1e-9, 0.005 * positive)) {
        Map<String, Integer> assignment = new LinkedHashMap<>();
        for (int i = 0; i < symbols.size(); i++) {
          assignment.put(symbols.get(i), states.get(i).get(choice[i]));
        }
        return Optional.of(assignment);
      }
      // The next combination, counting with each element's states as one digit.
      int i = 0;
      while (i < symbols.size() && ++choice[i] == states.get(i).size()) {
        choice[i] = 0;
        i++;
      }
      if (i == symbols.size()) {
        return Optional.empty();
      }
    }
  }

  /** The common oxidation states of this formula's elements, in words, for error messages. */
  public String oxidationStatesSaid() {
    List<String> parts = new ArrayList<>();
    for (String s : elements.keySet()) {
      parts.add(s + " " + Elements.bySymbol(s).orElseThrow().oxidationStates().stream()
          .map(q -> (q > 0 ? "+" : "") + q).reduce((a, b) -> a + ", " + b).orElse(""));
    }
    return String.join("; ", parts);
  }

  /** Element amounts as written, e.g. {@code Li7La3Zr2O12}. */
  public String normalised() {
    StringBuilder b = new StringBuilder();
    elements.forEach((s, n) -> {
      b.append(s);
      if (Math.abs(n - 1) > 1e-9) {
        b.append(Math.abs(n - Math.rint(n)) < 1e-9 ? Long.toString(Math.round(n))
            : String.format(Locale.ROOT, "%.4g", n));
      }
    });
    return b.toString();
  }

  @Override
  public String toString() {
    return text;
  }

  /** Recursive descent over the formula's characters, positions counted from 1. */
  private static final class Parser {
    private static final String SEPARATORS = "·•⋅*";
    private final String text;
    private int pos;

    Parser(String text) {
      this.text = text == null ? "" : text;
    }

    Map<String, Double> formula() {
      if (text.isEmpty()) {
        throw error("a formula is needed");
      }
      Map<String, Double> total = new LinkedHashMap<>();
      while (true) {
        double multiplier = 1;
        if (pos > 0 && pos < text.length() && Character.isDigit(peek())) {
          multiplier = number();
        }
        Map<String, Double> part = sequence(-1);
        if (part.isEmpty()) {
          throw error(pos < text.length() ? "unexpected '" + text.charAt(pos) + "'" : "an element is missing");
        }
        merge(total, part, multiplier);
        if (pos == text.length()) {
          return total;
        }
        if (SEPARATORS.indexOf(peek()) < 0) {
          throw error(peek() == ')' || peek() == ']' ? "'" + peek() + "' closes no bracket" : "unexpected '" + peek() + "'");
        }
        pos++;
      }
    }

    /** Groups and elements up to a separator, the end, or the closing bracket of {@code opener}. */
    private Map<String, Double> sequence(int opener) {
      Map<String, Double> out = new LinkedHashMap<>();
      while (pos < text.length()) {
        char c = peek();
        if (c == '(' || c == '[') {
          int at = pos++;
          Map<String, Double> inner = sequence(at);
          char close = c == '(' ? ')' : ']';
          if (pos >= text.length() || peek() != close) {
            throw new FormulaException(text, pos + 1, "'" + c + "' at position " + (at + 1) + " is not closed"
                + (pos < text.length() ? " (found '" + peek() + "')" : ""));
          }
          if (inner.isEmpty()) {
            throw new FormulaException(text, at + 1, "empty brackets");
          }
          pos++;
          merge(out, inner, count());
        } else if (Character.isUpperCase(c)) {
          int at = pos++;
          while (pos < text.length() && Character.isLowerCase(peek())) {
            pos++;
          }
          String symbol = text.substring(at, pos);
          if (Elements.bySymbol(symbol).isEmpty()) {
            throw new FormulaException(text, at + 1, "'" + symbol + "' is not an element with a standard atomic weight"
                + " (symbols are case-sensitive: Co is cobalt, CO carbon and oxygen)");
          }
          out.merge(symbol, count(), Double::sum);
        } else if (c == ')' || c == ']' || SEPARATORS.indexOf(c) >= 0) {
          return out;
        } else if (Character.isLowerCase(c)) {
          throw error("'" + c + "' cannot start an element symbol (symbols start with a capital letter)");
        } else {
          throw error("unexpected '" + c + "'");
        }
      }
      return out;
    }

    /** An optional count after an element or group; 1 when none is written. */
    private double count() {
      return pos < text.length() && (Character.isDigit(peek()) || peek() == '.') ? number() : 1;
    }

    private double number() {
      int at = pos;
      while (pos < text.length() && (Character.isDigit(peek()) || peek() == '.')) {
        pos++;
      }
      String digits = text.substring(at, pos);
      double v;
      try {
        v = Double.parseDouble(digits);
      } catch (NumberFormatException e) {
        throw new FormulaException(text, at + 1, "'" + digits + "' is not a number");
      }
      if (!(v > 0) || Double.isInfinite(v) || digits.startsWith(".") || digits.endsWith(".")) {
        throw new FormulaException(text, at + 1, "a count must be a positive number, got '" + digits + "'");
      }
      return v;
    }

    private char peek() {
      return text.charAt(pos);
    }

    private FormulaException error(String problem) {
      return new FormulaException(text, pos + 1, problem);
    }

    private static void merge(Map<String, Double> into, Map<String, Double> part, double times) {
      part.forEach((s, n) -> into.merge(s, n * times, Double::sum));
    }
  }
}
