package org.ionloop.analysis.eis;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * An equivalent circuit in the notation electrochemists write (impedance.py, pyimpspec):
 * elements joined in series by {@code -} and in parallel by {@code p(a,b,…)}, e.g.
 * {@code R0-p(R1,CPE1)-p(R2,CPE2)-CPE3}. Element impedances, with ω in rad/s:
 * <pre>
 *   R:   Z = R                       C:   Z = 1/(jωC)              L: Z = jωL
 *   CPE: Z = 1/(Q (jω)^n), 0 &lt; n ≤ 1  W:   Z = A_W (1 − j)/√ω (semi-infinite Warburg)
 * </pre>
 * Parameters are named after their element ({@code R0}, {@code C1}, {@code L1}, {@code W1},
 * and {@code CPE1_Q}, {@code CPE1_n}) and ordered as the elements appear.
 */
public final class Circuit {
  /** Element kinds. */
  public enum Kind { R, C, L, CPE, W }

  /** One element and where its parameters start in the parameter vector. */
  public record Element(Kind kind, String name, int offset) {}

  private sealed interface Node permits Leaf, Series, Parallel {}

  private record Leaf(Element element) implements Node {}

  private record Series(List<Node> parts) implements Node {}

  private record Parallel(List<Node> parts) implements Node {}

  private final String text;
  private final Node root;
  private final List<Element> elements;
  private final List<String> parameterNames;

  private Circuit(String text, Node root, List<Element> elements, List<String> names) {
    this.text = text;
    this.root = root;
    this.elements = List.copyOf(elements);
    this.parameterNames = List.copyOf(names);
  }

  /**
   * Parses a circuit description.
   *
   * @throws CircuitParseException naming the 1-based position of the problem
   */
  public static Circuit parse(String text) {
    Parser p = new Parser(text);
    Node root = p.series();
    if (p.pos < text.length()) {
      throw p.error("unexpected '" + text.charAt(p.pos) + "'");
    }
    return new Circuit(text, root, p.elements, p.names);
  }

  public String text() {
    return text;
  }

  public List<Element> elements() {
    return elements;
  }

  public List<String> parameterNames() {
    return parameterNames;
  }

  public int parameterCount() {
    return parameterNames.size();
  }

  /** Index of a parameter by name, or -1. */
  public int indexOf(String parameter) {
    return parameterNames.indexOf(parameter);
  }

  /** Whether parameter {@code i} is a CPE exponent (bounded to (0, 1]); all others are positive. */
  public boolean isExponent(int i) {
    return parameterNames.get(i).endsWith("_n");
  }

  /**
   * Impedance at angular frequency ω.
   *
   * @param p   parameters in {@link #parameterNames()} order. Not modified.
   * @param out receives {Re Z, Im Z} in Ω. Modified.
   */
  public void impedance(double omega, double[] p, double[] out) {
    eval(root, omega, p, out);
  }

  /** Convenience form of {@link #impedance(double, double[], double[])}. */
  public double[] impedance(double omega, double[] p) {
    double[] out = new double[2];
    eval(root, omega, p, out);
    return out;
  }

  /**
   * Impedance and its gradient by forward-mode differentiation:
   * series dZ = Σ dZ_i; parallel Z = 1/Y, Y = Σ 1/Z_i, dZ = Z²·Σ dZ_i/Z_i²;
   * CPE ∂Z/∂Q = −Z/Q, ∂Z/∂n = −Z·(ln ω + jπ/2); C ∂Z/∂C = j/(ωC²); L ∂Z/∂L = jω;
   * W ∂Z/∂A = (1 − j)/√ω.
   *
   * @param out  receives {Re Z, Im Z}. Modified.
   * @param grad receives ∂Z/∂p_j as grad[j] = {Re, Im}; size parameterCount × 2. Modified.
   */
  public void impedanceAndGradient(double omega, double[] p, double[] out, double[][] grad) {
    impedanceAndGradient(omega, p, out, grad, new Workspace(this));
  }

  /** As {@link #impedanceAndGradient(double, double[], double[], double[][])}, allocation-free. */
  public void impedanceAndGradient(double omega, double[] p, double[] out, double[][] grad,
      Workspace ws) {
    evalGrad(root, omega, p, out, grad, ws, 0);
  }

  /** Scratch arrays for one thread's gradient evaluations, one level per tree depth. */
  public static final class Workspace {
    final double[][] z;
    final double[][][] g;
    final double[][][] sum;

    public Workspace(Circuit c) {
      int depth = depth(c.root) + 1;
      int k = c.parameterCount();
      z = new double[depth][2];
      g = new double[depth][k][2];
      sum = new double[depth][k][2];
    }

    private static int depth(Node n) {
      if (n instanceof Series s) {
        return 1 + s.parts().stream().mapToInt(Workspace::depth).max().orElse(0);
      }
      if (n instanceof Parallel p) {
        return 1 + p.parts().stream().mapToInt(Workspace::depth).max().orElse(0);
      }
      return 0;
    }
  }

  private static void evalGrad(Node n, double omega, double[] p, double[] out, double[][] grad,
      Workspace ws, int level) {
    int k = grad.length;
    for (double[] g : grad) {
      g[0] = 0;
      g[1] = 0;
    }
    if (n instanceof Leaf leaf) {
      Element e = leaf.element();
      element(e, omega, p, out);
      int i = e.offset();
      switch (e.kind()) {
        case R -> grad[i][0] = 1;
        case C -> grad[i][1] = 1 / (omega * p[i] * p[i]);
        case L -> grad[i][1] = omega;
        case CPE -> {
          grad[i][0] = -out[0] / p[i];
          grad[i][1] = -out[1] / p[i];
          double lw = Math.log(omega);
          double h = Math.PI / 2;
          // −Z·(lw + j h) = −(zr·lw − zi·h) − j(zi·lw + zr·h)
          grad[i + 1][0] = -(out[0] * lw - out[1] * h);
          grad[i + 1][1] = -(out[1] * lw + out[0] * h);
        }
        case W -> {
          grad[i][0] = 1 / Math.sqrt(omega);
          grad[i][1] = -1 / Math.sqrt(omega);
        }
      }
      return;
    }
    double[] z = ws.z[level];
    double[][] g = ws.g[level];
    if (n instanceof Series s) {
      double re = 0;
      double im = 0;
      for (Node c : s.parts()) {
        evalGrad(c, omega, p, z, g, ws, level + 1);
        re += z[0];
        im += z[1];
        for (int j = 0; j < k; j++) {
          grad[j][0] += g[j][0];
          grad[j][1] += g[j][1];
        }
      }
      out[0] = re;
      out[1] = im;
      return;
    }
    double yr = 0;
    double yi = 0;
    double[][] sum = ws.sum[level]; // Σ dZ_i / Z_i²
    for (double[] row : sum) {
      row[0] = 0;
      row[1] = 0;
    }
    for (Node c : ((Parallel) n).parts()) {
      evalGrad(c, omega, p, z, g, ws, level + 1);
      double d = z[0] * z[0] + z[1] * z[1];
      yr += z[0] / d;
      yi -= z[1] / d;
      // 1/Z² = conj(Z)² / |Z|⁴
      double ir = (z[0] * z[0] - z[1] * z[1]) / (d * d);
      double ii = (-2 * z[0] * z[1]) / (d * d);
      for (int j = 0; j < k; j++) {
        if (g[j][0] != 0 || g[j][1] != 0) {
          sum[j][0] += g[j][0] * ir - g[j][1] * ii;
          sum[j][1] += g[j][0] * ii + g[j][1] * ir;
        }
      }
    }
    double d = yr * yr + yi * yi;
    out[0] = yr / d;
    out[1] = -yi / d;
    double z2r = out[0] * out[0] - out[1] * out[1];
    double z2i = 2 * out[0] * out[1];
    for (int j = 0; j < k; j++) {
      grad[j][0] = sum[j][0] * z2r - sum[j][1] * z2i;
      grad[j][1] = sum[j][0] * z2i + sum[j][1] * z2r;
    }
  }

  private static void eval(Node n, double omega, double[] p, double[] out) {
    if (n instanceof Leaf leaf) {
      element(leaf.element(), omega, p, out);
    } else if (n instanceof Series s) {
      double re = 0;
      double im = 0;
      for (Node c : s.parts()) {
        eval(c, omega, p, out);
        re += out[0];
        im += out[1];
      }
      out[0] = re;
      out[1] = im;
    } else {
      double yr = 0;
      double yi = 0;
      for (Node c : ((Parallel) n).parts()) {
        eval(c, omega, p, out);
        double d = out[0] * out[0] + out[1] * out[1];
        yr += out[0] / d;
        yi -= out[1] / d;
      }
      double d = yr * yr + yi * yi;
      out[0] = yr / d;
      out[1] = -yi / d;
    }
  }

  private static void element(Element e, double omega, double[] p, double[] out) {
    double v = p[e.offset()];
    switch (e.kind()) {
      case R -> {
        out[0] = v;
        out[1] = 0;
      }
      case C -> {
        out[0] = 0;
        out[1] = -1 / (omega * v);
      }
      case L -> {
        out[0] = 0;
        out[1] = omega * v;
      }
      case CPE -> {
        double n = p[e.offset() + 1];
        double mag = 1 / (v * Math.pow(omega, n));
        out[0] = mag * Math.cos(n * Math.PI / 2);
        out[1] = -mag * Math.sin(n * Math.PI / 2);
      }
      case W -> {
        double mag = v / Math.sqrt(omega);
        out[0] = mag;
        out[1] = -mag;
      }
    }
  }

  /**
   * The resistive arcs: every parallel block holding exactly one resistor and one capacitive
   * element (C or CPE), with the parameter indices needed to find its apex frequency.
   */
  public List<Arc> arcs() {
    List<Arc> out = new ArrayList<>();
    collectArcs(root, out);
    return out;
  }

  /**
   * A parallel R‖C or R‖CPE block; {@code exponent} is −1 for an ideal capacitor.
   * Its apex is at ω* = (R·Q)^(−1/n).
   */
  public record Arc(int resistance, int capacitance, int exponent) {
    public double apexOmega(double[] p) {
      double n = exponent < 0 ? 1 : p[exponent];
      return Math.pow(p[resistance] * p[capacitance], -1 / n);
    }

    /**
     * The arc's capacitance, F: C itself, or for a CPE the effective C = (R·Q)^(1/n) / R at its
     * apex (Brug et al., J. Electroanal. Chem. 176, 275, 1984), which is what tells a bulk arc
     * (geometric, pF) from a grain boundary (nF) whatever the CPE's exponent.
     */
    public double effectiveCapacitance(double[] p) {
      if (exponent < 0) {
        return p[capacitance];
      }
      return Math.pow(p[resistance] * p[capacitance], 1 / p[exponent]) / p[resistance];
    }
  }

  private static void collectArcs(Node n, List<Arc> out) {
    if (n instanceof Series s) {
      s.parts().forEach(c -> collectArcs(c, out));
    } else if (n instanceof Parallel par) {
      Element r = null;
      Element c = null;
      boolean simple = par.parts().size() == 2;
      for (Node part : par.parts()) {
        if (part instanceof Leaf l && l.element().kind() == Kind.R) {
          r = l.element();
        } else if (part instanceof Leaf l && (l.element().kind() == Kind.C || l.element().kind() == Kind.CPE)) {
          c = l.element();
        } else {
          simple = false;
          collectArcs(part, out);
        }
      }
      if (simple && r != null && c != null) {
        out.add(new Arc(r.offset(), c.offset(), c.kind() == Kind.CPE ? c.offset() + 1 : -1));
      }
    }
  }

  /** Indices of resistors in series at the top level (lead or unresolved bulk resistance). */
  public List<Integer> seriesResistors() {
    List<Integer> out = new ArrayList<>();
    if (root instanceof Leaf l && l.element().kind() == Kind.R) {
      out.add(l.element().offset());
    } else if (root instanceof Series s) {
      for (Node n : s.parts()) {
        if (n instanceof Leaf l && l.element().kind() == Kind.R) {
          out.add(l.element().offset());
        }
      }
    }
    return out;
  }

  @Override
  public String toString() {
    return text;
  }

  /** Recursive-descent parser; positions in errors are 1-based. */
  private static final class Parser {
    final String s;
    int pos;
    final List<Element> elements = new ArrayList<>();
    final List<String> names = new ArrayList<>();
    final Set<String> seen = new HashSet<>();

    Parser(String s) {
      this.s = s.strip();
      if (this.s.isEmpty()) {
        throw new CircuitParseException(s, 1, "empty circuit");
      }
    }

    CircuitParseException error(String problem) {
      return new CircuitParseException(s, pos + 1, problem);
    }

    Node series() {
      List<Node> parts = new ArrayList<>();
      parts.add(term());
      while (pos < s.length() && s.charAt(pos) == '-') {
        pos++;
        parts.add(term());
      }
      return parts.size() == 1 ? parts.get(0) : new Series(parts);
    }

    Node term() {
      if (s.startsWith("p(", pos)) {
        pos += 2;
        List<Node> parts = new ArrayList<>();
        parts.add(series());
        while (pos < s.length() && s.charAt(pos) == ',') {
          pos++;
          parts.add(series());
        }
        if (pos >= s.length() || s.charAt(pos) != ')') {
          throw error("expected ',' or ')'");
        }
        pos++;
        if (parts.size() < 2) {
          throw new CircuitParseException(s, pos, "p(…) needs at least two branches");
        }
        return new Parallel(parts);
      }
      return element();
    }

    Node element() {
      int start = pos;
      Kind kind;
      if (s.startsWith("CPE", pos)) {
        kind = Kind.CPE;
        pos += 3;
      } else if (pos < s.length() && "RCLW".indexOf(s.charAt(pos)) >= 0) {
        kind = Kind.valueOf(String.valueOf(s.charAt(pos)));
        pos++;
      } else {
        throw error(pos < s.length() ? "expected an element (R, C, L, CPE, W) or p(…), found '"
            + s.charAt(pos) + "'" : "expected an element (R, C, L, CPE, W) or p(…) at the end");
      }
      while (pos < s.length() && (Character.isLetterOrDigit(s.charAt(pos)) || s.charAt(pos) == '_')) {
        pos++;
      }
      String name = s.substring(start, pos);
      if (!seen.add(name)) {
        throw new CircuitParseException(s, start + 1, "element '" + name + "' appears twice");
      }
      Element e = new Element(kind, name, names.size());
      elements.add(e);
      if (kind == Kind.CPE) {
        names.add(name + "_Q");
        names.add(name + "_n");
      } else {
        names.add(name);
      }
      return new Leaf(e);
    }
  }
}
