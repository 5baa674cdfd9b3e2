package org.ionloop.cli;

import org.ionloop.TestCampaigns;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A bad campaign file ends the demo with one clear error, exit code 2 and no database. */
class BadCampaignFileTest {
  @TempDir
  Path dir;

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "'Qq' is not an element|    LiBr: {min: 0.00, max: 0.45}|    LiQq: {min: 0.00, max: 0.45}|design_space.precursors.LiQq",
      "cannot be charge-neutral|    LiBr: {min: 0.00, max: 0.45}|    LiBr2: {min: 0.00, max: 0.45}|design_space.precursors.LiBr2",
      "same compound as 'LiCl'|    LiBr: {min: 0.00, max: 0.45}|    ClLi: {min: 0.00, max: 0.45}|design_space.precursors.ClLi",
      "is not closed|    LiBr: {min: 0.00, max: 0.45}|    \"Li2(SO4\": {min: 0.00, max: 0.45}|design_space.precursors.Li2(SO4",
      "purity|    LiBr: {min: 0.00, max: 0.45}|    LiBr: {min: 0.00, max: 0.45, purity: 1.5}|design_space.precursors.LiBr.purity",
      "negative budget|experiments: 24|experiments: -1|budget.experiments",
      "broken yaml|  parallel: 4|  parallel: {4|(syntax)",
      "trainer command in the file|  ddim_steps: 40|  ddim_steps: 40\\n  retrain: {every: 1, command: [/bin/sh, -c, id]}|proposer.retrain.command",
      "base rows of a generated base set|  ddim_steps: 40|  ddim_steps: 40\\n  retrain: {every: 1, base_rows: 1500}|proposer.retrain.base_rows",
      "work folder in the file|  ddim_steps: 40|  ddim_steps: 40\\n  retrain: {every: 1, work_dir: /}|proposer.retrain.work_dir",
      "model outside the models folder|  model: proposer|  model: ../src|proposer.model",
      "model folder that is no model|  model: proposer|  model: training|proposer.model",
      "repeated key|  parallel: 4|  parallel: 4\\n  parallel: 2|budget.parallel",
      "integer that would wrap|experiments: 24|experiments: 4294967297|budget.experiments",
      "seed beyond a long|seed: 42|seed: 99999999999999999999|seed"})
  void endsWithOneErrorAndWritesNothing(String name, String from, String to, String field) throws Exception {
    // "\\n" in a row stands for a line break (a real one would end the CSV row).
    String yaml = TestCampaigns.demoCopy().replace(from, to.replace("\\n", "\n"));
    Path campaign = dir.resolve("bad.yaml");
    Files.writeString(campaign, yaml);
    Path db = dir.resolve("db/ionloop");

    PrintStream oldErr = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code;
    try {
      System.setErr(new PrintStream(err, true));
      code = Main.execute("demo", "--campaign", campaign.toString(), "--db", db.toString());
    } finally {
      System.setErr(oldErr);
    }
    String message = err.toString();
    assertEquals(2, code, message);
    assertTrue(message.startsWith("error: " + campaign + ":"), message);
    assertTrue(message.contains("field '" + field + "'"), message);
    assertEquals(1, message.strip().lines().count(), "one line of error, got: " + message);
    assertFalse(Files.exists(dir.resolve("db")), "nothing may be written for a bad file");
  }

  @Test
  void validateCommandAcceptsTheShippedFiles() {
    assertEquals(0, Main.execute("validate", "campaigns/demo.yaml",
        "protocols/argyrodite-solid-state.yaml", "instruments/furnace-1.yaml"));
  }
}
