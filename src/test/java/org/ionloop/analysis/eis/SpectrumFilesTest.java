package org.ionloop.analysis.eis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each importer reads the same spectrum written in its format; broken files name the line. */
class SpectrumFilesTest {
  @TempDir
  Path dir;

  final Spectrum truth = ReferencePellets.spectrum(ReferencePellets.OXIDE, 0.01, new SplittableRandom(4));

  /** Files hold 11 significant digits, so values agree to a relative 1e-9. */
  void assertSame(Spectrum s) {
    assertEquals(truth.size(), s.size());
    for (int i = 0; i < truth.size(); i++) {
      assertEquals(truth.frequencyHz()[i], s.frequencyHz()[i], 1e-9 * truth.frequencyHz()[i]);
      assertEquals(truth.zReOhm()[i], s.zReOhm()[i], 1e-9 * truth.modulus(i));
      assertEquals(truth.zImOhm()[i], s.zImOhm()[i], 1e-9 * truth.modulus(i));
    }
  }

  String row(int i, String sep, String... extra) {
    return String.format(Locale.ROOT, "%.10e%s%.10e%s%.10e", truth.frequencyHz()[i], sep,
        truth.zReOhm()[i], sep, truth.zImOhm()[i]);
  }

  @Test
  void readsBioLogicMpt() throws Exception {
    StringBuilder sb = new StringBuilder("EC-Lab ASCII FILE\nNb header lines : 4\n\n");
    sb.append("freq/Hz\tRe(Z)/Ohm\t-Im(Z)/Ohm\t|Z|/Ohm\n");
    for (int i = 0; i < truth.size(); i++) {
      sb.append(String.format(Locale.ROOT, "%.10e\t%.10e\t%.10e\t%.10e%n", truth.frequencyHz()[i],
          truth.zReOhm()[i], -truth.zImOhm()[i], truth.modulus(i)));
    }
    Path f = dir.resolve("pellet.mpt");
    Files.writeString(f, sb);
    assertSame(SpectrumFiles.read(f, 25));
  }

  @Test
  void readsGamryDta() throws Exception {
    StringBuilder sb = new StringBuilder("EXPLAIN\nTAG\tEISPOT\nZCURVE\tTABLE\n");
    sb.append("\tPt\tTime\tFreq\tZreal\tZimag\tZsig\n\t#\ts\tHz\tohm\tohm\tV\n");
    for (int i = 0; i < truth.size(); i++) {
      sb.append(String.format(Locale.ROOT, "\t%d\t%d\t%.10e\t%.10e\t%.10e\t1%n", i, i,
          truth.frequencyHz()[i], truth.zReOhm()[i], truth.zImOhm()[i]));
    }
    sb.append("EXPERIMENTABORTED\tIQUANT\n");
    Path f = dir.resolve("pellet.DTA");
    Files.writeString(f, sb);
    assertSame(SpectrumFiles.read(f, 25));
  }

  @Test
  void readsZViewZ() throws Exception {
    StringBuilder sb = new StringBuilder("ZView Data File\nFreq(Hz), Ampl, Bias, Time(Sec), Z'(a), Z''(b)\nEnd Comments\n");
    for (int i = 0; i < truth.size(); i++) {
      sb.append(String.format(Locale.ROOT, "%.10e, 0.01, 0, %d, %.10e, %.10e, 0, 0, 1%n",
          truth.frequencyHz()[i], i, truth.zReOhm()[i], truth.zImOhm()[i]));
    }
    Path f = dir.resolve("pellet.z");
    Files.writeString(f, sb);
    assertSame(SpectrumFiles.read(f, 25));
  }

  @Test
  void readsCsvWithHeader() throws Exception {
    StringBuilder sb = new StringBuilder("frequency_hz,z_re_ohm,z_im_ohm\n");
    for (int i = 0; i < truth.size(); i++) {
      sb.append(row(i, ",")).append('\n');
    }
    Path f = dir.resolve("pellet.csv");
    Files.writeString(f, sb);
    assertSame(SpectrumFiles.read(f, 25));
  }

  @Test
  void aBrokenNumberNamesItsLine() throws Exception {
    Path f = dir.resolve("broken.csv");
    Files.writeString(f, "f,re,im\n1e6,10,-1\n1e5,ten,-2\n1e4,12,-3\n");
    var e = assertThrows(SpectrumFormatException.class, () -> SpectrumFiles.read(f, 25));
    assertEquals(f + ":3: Z' is not a number: 'ten'", e.getMessage());
  }

  @Test
  void aMissingColumnNamesTheHeaderLine() throws Exception {
    Path f = dir.resolve("bad.mpt");
    Files.writeString(f, "EC-Lab ASCII FILE\nNb header lines : 3\nfreq/Hz\tRe(Z)/Ohm\n1\t2\n");
    var e = assertThrows(SpectrumFormatException.class, () -> SpectrumFiles.read(f, 25));
    assertTrue(e.getMessage().startsWith(f + ":3: no column for Z''") && e.getMessage().contains("Re(Z)/Ohm"),
        e.getMessage());
  }

  private Path write(String name, String text) throws Exception {
    Path f = dir.resolve(name);
    Files.writeString(f, text);
    return f;
  }

  private String rows(java.util.function.IntFunction<String> row) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < truth.size(); i++) {
      sb.append(row.apply(i)).append('\n');
    }
    return sb.toString();
  }

  @Test
  void anEcLabExportSavedAsTxtIsReadByItsContent() throws Exception {
    // Before, a .txt was read as CSV by position: −Im(Z) became Z'' (σ off by 3x on a real pellet).
    String text = "EC-Lab ASCII FILE\nNb header lines : 3\nfreq/Hz\tRe(Z)/Ohm\t-Im(Z)/Ohm\n"
        + rows(i -> String.format(Locale.ROOT, "%.10e\t%.10e\t%.10e", truth.frequencyHz()[i], truth.zReOhm()[i],
            -truth.zImOhm()[i]));
    var read = SpectrumFiles.read(write("pellet.txt", text), 25, 0);
    assertEquals("EC-Lab text export", read.format());
    assertSame(read.spectrum());
  }

  @Test
  void columnsAreFoundByTheirNamesInAnyOrderAmongOthers() throws Exception {
    assertSame(SpectrumFiles.read(write("order.csv", "Time(s),Zreal,Zimag,Freq,Idc\n" + rows(i -> String.format(Locale.ROOT,
        "%d,%.10e,%.10e,%.10e,0.001", i, truth.zReOhm()[i], truth.zImOhm()[i], truth.frequencyHz()[i]))), 25));
    assertSame(SpectrumFiles.read(write("minus.csv", "f (Hz),Z' (Ohm),-Z'' (Ohm)\n" + rows(i -> String.format(Locale.ROOT,
        "%.10e,%.10e,%.10e", truth.frequencyHz()[i], truth.zReOhm()[i], -truth.zImOhm()[i]))), 25));
    Spectrum polar = SpectrumFiles.read(write("polar.csv", "Frequency/Hz,|Z|/Ohm,Phase/deg\n" + rows(i -> String.format(Locale.ROOT,
        "%.10e,%.10e,%.10e", truth.frequencyHz()[i], truth.modulus(i),
        Math.toDegrees(Math.atan2(truth.zImOhm()[i], truth.zReOhm()[i]))))), 25);
    for (int i = 0; i < truth.size(); i++) {
      assertEquals(truth.zReOhm()[i], polar.zReOhm()[i], 1e-9 * truth.modulus(i));
      assertEquals(truth.zImOhm()[i], polar.zImOhm()[i], 1e-9 * truth.modulus(i));
    }
  }

  @Test
  void decimalCommasQuotesSpacesAndAByteOrderMarkAreReadRight() throws Exception {
    // Before, "1,5E+03;..." split at the decimal comma (σ = 5564 S/cm).
    assertSame(SpectrumFiles.read(write("comma.csv", "Freq;Zre;Zim\n" + rows(i -> String.format(Locale.GERMANY,
        "%.10e;%.10e;%.10e", truth.frequencyHz()[i], truth.zReOhm()[i], truth.zImOhm()[i]))), 25));
    assertSame(SpectrumFiles.read(write("quoted.csv", "\"freq\",\"z_re\",\"z_im\"\n" + rows(i -> String.format(Locale.ROOT,
        "\"%.10e\",\"%.10e\",\"%.10e\"", truth.frequencyHz()[i], truth.zReOhm()[i], truth.zImOhm()[i]))), 25));
    assertSame(SpectrumFiles.read(write("spaces.txt", "freq   zreal   zimag\n" + rows(i -> String.format(Locale.ROOT,
        "%.10e   %.10e   %.10e", truth.frequencyHz()[i], truth.zReOhm()[i], truth.zImOhm()[i]))), 25));
    // A header-less file with a BOM keeps its first row (before, the BOM made it a "header").
    assertSame(SpectrumFiles.read(write("bom.csv", "\uFEFF" + rows(i -> row(i, ","))), 25));
  }

  @Test
  void severalSweepsAreRefusedUnlessOneIsChosen() throws Exception {
    String sweep = rows(i -> String.format(Locale.ROOT, "%.10e\t%.10e\t%.10e", truth.frequencyHz()[i], truth.zReOhm()[i],
        -truth.zImOhm()[i]));
    Path loops = write("loops.mpt", "EC-Lab ASCII FILE\nNb header lines : 3\nfreq/Hz\tRe(Z)/Ohm\t-Im(Z)/Ohm\n" + sweep + sweep);
    var e = assertThrows(SpectrumFormatException.class, () -> SpectrumFiles.read(loops, 25));
    assertTrue(e.getMessage().contains("with 2 sweeps") && e.getMessage().contains("--sweep"), e.getMessage());
    var second = SpectrumFiles.read(loops, 25, 2);
    assertEquals(2, second.sweeps());
    assertSame(second.spectrum());
    StringBuilder dta = new StringBuilder("EXPLAIN\nTAG\tEISPOT\n");
    for (int t = 0; t < 2; t++) {
      dta.append("ZCURVE\tTABLE\n\tPt\tTime\tFreq\tZreal\tZimag\n\t#\ts\tHz\tohm\tohm\n");
      for (int i = 0; i < truth.size(); i++) {
        // One row without Gamry's leading tab: it belongs to the table all the same.
        dta.append(i == 3 ? "" : "\t").append(String.format(Locale.ROOT, "%d\t%d\t%.10e\t%.10e\t%.10e%n", i, i,
            truth.frequencyHz()[i], truth.zReOhm()[i], truth.zImOhm()[i]));
      }
      dta.append("\n");
    }
    Path gamry = write("two.DTA", dta.toString());
    var g = assertThrows(SpectrumFormatException.class, () -> SpectrumFiles.read(gamry, 25));
    assertTrue(g.getMessage().contains("2 sweeps"), g.getMessage());
    assertSame(SpectrumFiles.read(gamry, 25, 2).spectrum());
  }

  @Test
  void aRowAtZeroFrequencyIsSkippedAndSaidSo() throws Exception {
    var read = SpectrumFiles.read(write("dc.csv", "freq,zre,zim\n0,12.5,0\n" + rows(i -> row(i, ","))), 25, 0);
    assertSame(read.spectrum());
    assertTrue(read.notes().get(0).contains("1 row(s) at f = 0 skipped") && read.notes().get(0).contains("line 2"),
        read.notes().toString());
  }

  @Test
  void aHeaderlessTableWhoseThirdColumnIsMinusZimIsRefusedNotReadWrong() throws Exception {
    Path f = write("minus.txt", rows(i -> String.format(Locale.ROOT, "%.10e,%.10e,%.10e", truth.frequencyHz()[i],
        truth.zReOhm()[i], -truth.zImOhm()[i])));
    var e = assertThrows(SpectrumFormatException.class, () -> SpectrumFiles.read(f, 25));
    assertTrue(e.getMessage().contains("is it −Z''?"), e.getMessage());
    Path four = write("four.csv", rows(i -> row(i, ",") + ",1"));
    var e4 = assertThrows(SpectrumFormatException.class, () -> SpectrumFiles.read(four, 25));
    assertTrue(e4.getMessage().contains("cannot tell which is which"), e4.getMessage());
  }
}
