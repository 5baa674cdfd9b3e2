package org.ionloop.chemistry;

/** A chemical formula that cannot be read, with the 1-based character position of the problem. */
public final class FormulaException extends IllegalArgumentException {
  private final String formula;
  private final int position;

  public FormulaException(String formula, int position, String problem) {
    super("'" + formula + "' at position " + position + ": " + problem);
    this.formula = formula;
    this.position = position;
  }

  public String formula() {
    return formula;
  }

  /** 1-based position in the formula of the character that is wrong (or one past its end). */
  public int position() {
    return position;
  }
}
