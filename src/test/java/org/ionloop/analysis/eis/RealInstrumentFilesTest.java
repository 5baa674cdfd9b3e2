package org.ionloop.analysis.eis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Real files written by instruments (impedance.py's corpus, see {@code SOURCES.md} beside them):
 * each is recognised by its content and gives the points its own text holds — the count, the first
 * and last point with their signs, and what was skipped.
 */
class RealInstrumentFilesTest {

  /** What one file must give: its first and last points as the file writes them, Z'' signed. */
  record Expected(String file, String format, int points, double[] first, double[] last, String note) {
    @Override
    public String toString() {
      return file;
    }
  }

  static Path corpus(String name) {
    try {
      return Path.of(RealInstrumentFilesTest.class.getResource("/eis/impedance.py/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static Stream<Expected> files() {
    return Stream.of(
        new Expected("exampleData.csv", "delimited table", 66,
            new double[] {3.1623e-3, 4.949989776405060160e-02, -2.043869854441892481e-02},
            new double[] {1e4, 0.015771482660485933, 0.010157474564938236}, null),
        new Expected("exampleDataAutolab.txt", "ZView/ZPlot", 41,
            new double[] {1e4, 0.013785863964281, 0.007191946305823},
            new double[] {0.1, 0.0345697771923854, -0.00390292888845954}, null),
        // -Im(Z)/Ohm = 3.8998979E-001: Z'' is −0.39 Ω. Before, the Im(Y) column further right
        // reset the sign and the whole spectrum was read as inductive.
        new Expected("exampleDataBioLogic.mpt", "EC-Lab text export", 43,
            new double[] {1000.3201, 65.470886, -0.38998979},
            new double[] {0.01689554, 110.97003, -2.3458567}, "Windows-1252"),
        new Expected("exampleDataCHInstruments.txt", "CH Instruments text", 73,
            new double[] {9.961e4, 98.91, -2.748}, new double[] {0.1, 5685, -15860}, null),
        new Expected("exampleDataGamry.DTA", "Gamry DTA", 72,
            new double[] {200015.6, 825.8584, -1367.239}, new double[] {0.0158898, 17007.49, -6635.557}, null),
        new Expected("exampleDataGamryABORT.DTA", "Gamry DTA", 72,
            new double[] {200015.6, 825.8584, -1367.239}, new double[] {0.0158898, 17007.49, -6635.557}, null),
        new Expected("exampleDataParstat.txt", "delimited table", 31,
            new double[] {1e4, -0.00049816280376104, 0.0175143479976367},
            new double[] {10, 0.0270946491457229, -0.00399791080333837},
            "781 row(s) at f = 0 skipped (a DC step, e.g. a linked technique), the first on line 2"),
        new Expected("exampleDataPowersuite.txt", "delimited table", 30,
            new double[] {0.1, 423929.46, -49014.063}, new double[] {2e6, -470.54113, -1397.7358}, null),
        new Expected("exampleDataVersaStudio.par", "VersaStudio .par", 61,
            new double[] {1e5, 55.31571, 4.575431}, new double[] {0.02154435, 1516.313, -122.8279}, null),
        new Expected("exampleDataZPlot.z", "ZView/ZPlot", 21,
            new double[] {3e5, 147.77, -11.335}, new double[] {3000, 613.68, -137.13}, null),
        new Expected("exampleDataZPlot_noComments.z", "ZView/ZPlot", 31,
            new double[] {3e5, 642.62, -85.821}, new double[] {300, 1305.3, -195.01}, null),
        new Expected("Circuit1_EIS_1.z", "ZView/ZPlot", 48,
            new double[] {5e4, 29.036, 0.63662}, new double[] {1, 75.803, -0.16244}, null));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("files")
  void eachRealFileGivesThePointsItsTextHolds(Expected e) {
    List<SpectrumFiles.Read> all = SpectrumFiles.readAll(corpus(e.file()), 25);
    assertEquals(1, all.size(), e.file() + ": one spectrum");
    SpectrumFiles.Read read = all.get(0);
    assertEquals(e.format(), read.format(), e.file());
    Spectrum s = read.spectrum();
    assertEquals(e.points(), s.size(), e.file() + ": points");
    assertPoint(e.file() + " first point", e.first(), s, 0);
    assertPoint(e.file() + " last point", e.last(), s, s.size() - 1);
    if (e.note() != null) {
      assertTrue(read.notes().stream().anyMatch(n -> n.contains(e.note())), e.file() + ": " + read.notes());
    }
  }

  private static void assertPoint(String what, double[] expected, Spectrum s, int i) {
    assertEquals(expected[0], s.frequencyHz()[i], 1e-9 * expected[0], what + " f");
    assertEquals(expected[1], s.zReOhm()[i], 1e-9 * Math.abs(expected[1]), what + " Z'");
    assertEquals(expected[2], s.zImOhm()[i], 1e-9 * Math.abs(expected[2]), what + " Z''");
  }

  @Test
  void anExportWithoutItsFrequencyColumnIsRefusedNamingTheHeaderLine() {
    Path f = corpus("exampleDataBioLogic_MissingFreq.mpt");
    var e = assertThrows(SpectrumFormatException.class, () -> SpectrumFiles.readAll(f, 25));
    assertTrue(e.getMessage().startsWith(f + ":61: no frequency column in the header"), e.getMessage());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("files")
  void eachRealFileFitsToAFiniteConductivity(Expected e) {
    Spectrum s = SpectrumFiles.read(corpus(e.file()), 25);
    SampleAnalysis.Measurement m = new SampleAnalysis().measure(s, 1, 10);
    assertTrue(m.fit().converged(), e.file() + ": " + m.fit().reason());
    assertTrue(Double.isFinite(m.sigmaSPerCm()) && m.sigmaSPerCm() > 0, e.file() + ": σ " + m.sigmaSPerCm());
    // Where Kramers–Kronig finds the data causal and stable, a default circuit describes them; where
    // it does not (PowerSuite's and Parstat's inductive, drifting sweeps), the verdict says so.
    if (m.kk().valid()) {
      assertTrue(m.fit().rmsRelativeResidual() < 0.1, e.file() + ": residual " + m.fit().rmsRelativeResidual());
    }
  }
}
