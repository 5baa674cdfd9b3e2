package org.ionloop.analysis.eis;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A spectrum file's text. Instruments write UTF-8 (with or without a byte-order mark), UTF-16
 * (Windows "Unicode" exports, usually with a mark) and Windows-1252/Latin-1 ("°", "µ", "Ω" in
 * EC-Lab and Gamry headers), never saying which: the marks decide, then UTF-16's zero bytes, then
 * whether the bytes are valid UTF-8. A binary file (EC-Lab's {@code .mpr}) is refused by name.
 *
 * @param encoding what the text was decoded as, for the reader's notes
 */
record SpectrumText(List<String> lines, String encoding) {
  private static final Charset WINDOWS_1252 = Charset.forName("windows-1252");

  static SpectrumText of(Path file) {
    byte[] bytes;
    try {
      long size = Files.size(file);
      if (size > SpectrumFiles.MAX_BYTES) {
        throw new SpectrumFormatException(file, 0, String.format("the file has %,d bytes; spectrum files"
            + " are limited to %,d bytes", size, SpectrumFiles.MAX_BYTES));
      }
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new SpectrumFormatException(file, 0, "cannot read: " + e.getMessage());
    }
    return decode(file, bytes);
  }

  static SpectrumText decode(Path file, byte[] b) {
    String text;
    String encoding;
    if (b.length >= 3 && (b[0] & 0xff) == 0xEF && (b[1] & 0xff) == 0xBB && (b[2] & 0xff) == 0xBF) {
      text = new String(b, 3, b.length - 3, StandardCharsets.UTF_8);
      encoding = "UTF-8 (with byte-order mark)";
    } else if (b.length >= 2 && (b[0] & 0xff) == 0xFF && (b[1] & 0xff) == 0xFE) {
      text = new String(b, 2, b.length - 2, StandardCharsets.UTF_16LE);
      encoding = "UTF-16LE";
    } else if (b.length >= 2 && (b[0] & 0xff) == 0xFE && (b[1] & 0xff) == 0xFF) {
      text = new String(b, 2, b.length - 2, StandardCharsets.UTF_16BE);
      encoding = "UTF-16BE";
    } else if (zeroShare(b, 1) > 0.3 && zeroShare(b, 0) < 0.05) {
      // ASCII text in UTF-16 without a mark: every other byte is zero.
      text = new String(b, StandardCharsets.UTF_16LE);
      encoding = "UTF-16LE (no byte-order mark)";
    } else if (zeroShare(b, 0) > 0.3 && zeroShare(b, 1) < 0.05) {
      text = new String(b, StandardCharsets.UTF_16BE);
      encoding = "UTF-16BE (no byte-order mark)";
    } else {
      try {
        text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b)).toString();
        encoding = "UTF-8";
      } catch (CharacterCodingException e) {
        text = new String(b, WINDOWS_1252);
        encoding = "Windows-1252 (Latin-1)";
      }
    }
    if (text.startsWith("\uFEFF")) {
      text = text.substring(1);
    }
    long control = text.chars().filter(c -> c < 0x20 && c != '\t' && c != '\n' && c != '\r').count();
    if (control > Math.max(8, text.length() / 100)) {
      throw new SpectrumFormatException(file, 0, "this is a binary file, not text (" + control + " control"
          + " characters); export the spectrum as text (EC-Lab: Export as Text, .mpt) and read that");
    }
    return new SpectrumText(text.lines().toList(), encoding);
  }

  /** The share of zero bytes at even (parity 0) or odd (parity 1) positions in the first 4 KiB. */
  private static double zeroShare(byte[] b, int parity) {
    int n = 0;
    int zeros = 0;
    for (int i = parity; i < Math.min(b.length, 4096); i += 2) {
      n++;
      zeros += b[i] == 0 ? 1 : 0;
    }
    return n == 0 ? 0 : (double) zeros / n;
  }
}
