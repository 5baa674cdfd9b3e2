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
    assertTrue(e.getMessage().startsWith(f + ":3: no column 'Im(Z)/Ohm'"), e.getMessage());
  }
}
