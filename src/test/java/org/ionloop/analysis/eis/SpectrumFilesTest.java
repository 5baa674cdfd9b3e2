package org.ionloop.analysis.eis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
  void severalSweepsAreSeveralSpectra() throws Exception {
    String sweep = rows(i -> String.format(Locale.ROOT, "%.10e\t%.10e\t%.10e", truth.frequencyHz()[i], truth.zReOhm()[i],
        -truth.zImOhm()[i]));
    Path loops = write("loops.mpt", "EC-Lab ASCII FILE\nNb header lines : 3\nfreq/Hz\tRe(Z)/Ohm\t-Im(Z)/Ohm\n" + sweep + sweep);
    var all = SpectrumFiles.readAll(loops, 25);
    assertEquals(2, all.size());
    assertEquals(List.of(4, 4 + truth.size()), all.stream().map(SpectrumFiles.Read::firstLine).toList());
    all.forEach(r -> assertSame(r.spectrum()));
    // Asked for the file's one spectrum, a file with two says where each starts.
    var e = assertThrows(SpectrumFormatException.class, () -> SpectrumFiles.read(loops, 25));
    assertTrue(e.getMessage().contains("with 2 spectra") && e.getMessage().contains("--spectrum"), e.getMessage());
    var second = SpectrumFiles.read(loops, 25, 2);
    assertEquals(2, second.count());
    assertEquals(2, second.index());
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
    var gamry = SpectrumFiles.readAll(write("two.DTA", dta.toString()), 25);
    assertEquals(2, gamry.size());
    gamry.forEach(r -> assertSame(r.spectrum()));
  }

  @Test
  void ecLabLoopsAreCutByTheirCycleNumberAndCarryTheirTemperature() throws Exception {
    // Two loops at 25 and 60 °C whose sweeps are each written high to low: the cycle column cuts
    // them even where the frequency alone would not (a loop that starts where the last ended).
    StringBuilder sb = new StringBuilder("EC-Lab ASCII FILE\nNb header lines : 3\n"
        + "freq/Hz\tRe(Z)/Ohm\t-Im(Z)/Ohm\tcycle number\tTemperature/°C\tRe(Y)/Ohm-1\tIm(Y)/Ohm-1\n");
    for (int loop = 1; loop <= 2; loop++) {
      for (int i = 0; i < truth.size(); i++) {
        sb.append(String.format(Locale.ROOT, "%.10e\t%.10e\t%.10e\t%d\t%.2f\t1e-3\t-1e-4%n", truth.frequencyHz()[i],
            truth.zReOhm()[i], -truth.zImOhm()[i], loop, loop == 1 ? 25.0 + 0.01 * i : 60.0));
      }
    }
    Path f = dir.resolve("loops.mpt");
    Files.write(f, sb.toString().getBytes(java.nio.charset.Charset.forName("windows-1252")));
    var all = SpectrumFiles.readAll(f, 99);
    assertEquals(2, all.size());
    assertSame(all.get(0).spectrum());
    assertSame(all.get(1).spectrum());
    assertTrue(all.get(0).temperatureFromFile());
    assertEquals(25.0 + 0.01 * (truth.size() - 1) / 2, all.get(0).spectrum().temperatureC(), 1e-9);
    assertEquals(60.0, all.get(1).spectrum().temperatureC(), 1e-9);
  }

  @Test
  void utf16AndWindows1252TextIsDecoded() throws Exception {
    String text = "Frequency (Hz)\tZ' (Ω)\t-Z'' (Ω)\n" + rows(i -> String.format(Locale.ROOT, "%.10e\t%.10e\t%.10e",
        truth.frequencyHz()[i], truth.zReOhm()[i], -truth.zImOhm()[i]));
    Path le = dir.resolve("utf16le.txt");
    Files.write(le, ("\uFEFF" + text).getBytes(java.nio.charset.StandardCharsets.UTF_16LE));
    var read = SpectrumFiles.read(le, 25, 0);
    assertSame(read.spectrum());
    assertTrue(read.notes().contains("read as UTF-16LE"), read.notes().toString());
    Path be = dir.resolve("utf16be.txt");
    Files.write(be, text.getBytes(java.nio.charset.StandardCharsets.UTF_16BE));
    assertSame(SpectrumFiles.read(be, 25));
    Path latin = dir.resolve("latin1.txt");
    Files.write(latin, text.replace("Ω", "Ohm").replace("Frequency (Hz)", "Frequency (Hz) µ").getBytes(
        java.nio.charset.StandardCharsets.ISO_8859_1));
    var e = assertThrows(SpectrumFormatException.class, () -> SpectrumFiles.read(latin, 25));
    assertTrue(e.getMessage().contains("'Frequency (Hz) µ'") || e.getMessage().contains("no frequency column"),
        "the µ is decoded, not mangled: " + e.getMessage());
  }

  @Test
  void unitsInTheHeaderAreApplied() throws Exception {
    // Autolab NOVA's export: Z (Ω) and -Phase (°) beside Z' and -Z''; frequency in kHz, Z in kΩ.
    Spectrum scaled = SpectrumFiles.read(write("nova.txt", "Index;Frequency (kHz);Z' (kΩ);-Z'' (kΩ);Z (kΩ);-Phase (°);Time (s)\n"
        + rows(i -> String.format(Locale.GERMANY, "%d;%.10e;%.10e;%.10e;%.10e;%.6f;%d", i, truth.frequencyHz()[i] / 1e3,
            truth.zReOhm()[i] / 1e3, -truth.zImOhm()[i] / 1e3, truth.modulus(i) / 1e3,
            -Math.toDegrees(Math.atan2(truth.zImOhm()[i], truth.zReOhm()[i])), i))), 25);
    assertSame(scaled);
    // |Z| with −phase in radians, in MHz: MHz is mega-, mHz would be milli-.
    Spectrum polar = SpectrumFiles.read(write("polar.tsv", "f [MHz]\t|Z| [Ohm]\t-phase [rad]\n" + rows(i -> String.format(
        Locale.ROOT, "%.12e\t%.12e\t%.12e", truth.frequencyHz()[i] / 1e6, truth.modulus(i),
        -Math.atan2(truth.zImOhm()[i], truth.zReOhm()[i])))), 25);
    for (int i = 0; i < truth.size(); i++) {
      assertEquals(truth.frequencyHz()[i], polar.frequencyHz()[i], 1e-9 * truth.frequencyHz()[i]);
      assertEquals(truth.zImOhm()[i], polar.zImOhm()[i], 1e-9 * truth.modulus(i));
    }
  }

  @Test
  void unitsAndColumnsIonloopCannotBeSureOfAreRefusedWithTheColumn() throws Exception {
    String data = rows(i -> row(i, ","));
    var specific = assertThrows(SpectrumFormatException.class,
        () -> SpectrumFiles.read(write("specific.csv", "f/Hz,Z'/Ohm.cm,Z''/Ohm.cm\n" + data), 25));
    assertTrue(specific.getMessage().contains(":1: column 'Z'/Ohm.cm' is in Ohm.cm: a specific impedance"),
        specific.getMessage());
    var unknown = assertThrows(SpectrumFormatException.class,
        () -> SpectrumFiles.read(write("unknown.csv", "f (rpm),Zre,Zim\n" + data), 25));
    assertTrue(unknown.getMessage().contains("column 'f (rpm)' has the unit 'rpm'"), unknown.getMessage());
    var ambiguous = assertThrows(SpectrumFormatException.class,
        () -> SpectrumFiles.read(write("mhz.csv", "f (mhz),Zre,Zim\n" + data), 25));
    assertTrue(ambiguous.getMessage().contains("case matters"), ambiguous.getMessage());
    var twice = assertThrows(SpectrumFormatException.class,
        () -> SpectrumFiles.read(write("twice.csv", "freq,Zreal,Z',Zimag\n" + rows(i -> row(i, ",") + ",1")), 25));
    assertTrue(twice.getMessage().contains("two columns could be Z': 'Zreal' and 'Z''"), twice.getMessage());
  }

  @Test
  void aPreambleOfSettingsIsPassedOverToTheTableAndItsHeader() throws Exception {
    // CH Instruments: settings, a blank line, the header with a bare double quote, a blank line, data.
    Spectrum s = SpectrumFiles.read(write("chi.txt", "Feb. 20, 2020   15:55:08\nA.C. Impedance\nInit E (V) = 0\n"
        + "High Frequency (Hz) = 1e+6\n\nFreq/Hz, Z'/ohm, Z\"/ohm, Z/ohm, Phase/deg\n\n"
        + rows(i -> String.format(Locale.ROOT, "%.10e, %.10e, %.10e, %.10e, 0", truth.frequencyHz()[i], truth.zReOhm()[i],
            truth.zImOhm()[i], truth.modulus(i)))), 25);
    assertSame(s);
  }

  @Test
  void aVendorExportWithItsSettingsAboveAndImpedanceWithPhaseIsRead() throws Exception {
    // The layout of a bench analyzer's text export: settings as "name: value" lines, a "#" line,
    // then Index, Frequency, Impedance (the modulus) and Phase columns.
    String text = "IMPEDANCE MEASUREMENT\n4/17/2023-5:10 PM\nChamber temperature (K): 298.15\n"
        + "Driving voltage (V): 1.000E-2\n# freq steps: " + truth.size() + "\n"
        + "Index #\tFrequency (Hz)\tImpedance (ohm)\tPhase (degrees)\n"
        + rows(i -> String.format(Locale.ROOT, "%d\t%.12e\t%.12e\t%.12e", i, truth.frequencyHz()[i], truth.modulus(i),
            Math.toDegrees(Math.atan2(truth.zImOhm()[i], truth.zReOhm()[i]))));
    Spectrum s = SpectrumFiles.read(write("bench-analyzer.txt", text), 25);
    for (int i = 0; i < truth.size(); i++) {
      assertEquals(truth.zReOhm()[i], s.zReOhm()[i], 1e-9 * truth.modulus(i));
      assertEquals(truth.zImOhm()[i], s.zImOhm()[i], 1e-9 * truth.modulus(i));
    }
  }

  @Test
  void rowsNoFitCanUseAreSkippedAndCounted() throws Exception {
    StringBuilder sb = new StringBuilder("freq,zre,zim\n");
    sb.append("NaN,1,2\n-5,1,-1\n1e3,,-1\n1e3,inf,-1\n");
    sb.append(rows(i -> row(i, ",")));
    var read = SpectrumFiles.read(write("skips.csv", sb.toString()), 25, 0);
    assertSame(read.spectrum());
    assertEquals(List.of("1 row(s) with a negative frequency skipped, the first on line 3",
        "3 row(s) with an empty, NaN or infinite value skipped, the first on line 2"), read.notes());
    // A word where a number belongs is no skip: the file is not what it seems.
    var e = assertThrows(SpectrumFormatException.class, () -> SpectrumFiles.read(write("word.csv",
        "freq,zre,zim\n" + rows(i -> i == 5 ? "1e3,open,-1" : row(i, ","))), 25));
    assertEquals(dir.resolve("word.csv") + ":7: Z' is not a number: 'open'", e.getMessage());
  }

  @Test
  void aBinaryFileIsRefusedAsOne() throws Exception {
    byte[] junk = new byte[2048];
    new java.util.Random(3).nextBytes(junk);
    Path f = dir.resolve("pellet.mpr");
    Files.write(f, junk);
    var e = assertThrows(SpectrumFormatException.class, () -> SpectrumFiles.read(f, 25));
    assertTrue(e.getMessage().startsWith(f + ": this is a binary file"), e.getMessage());
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
