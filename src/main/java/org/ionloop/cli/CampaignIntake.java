package org.ionloop.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.ionloop.campaign.CampaignFiles;
import org.ionloop.instruments.InstrumentRegistry;
import org.ionloop.spec.SpecException;
import org.ionloop.store.CampaignRepository;

/**
 * A campaign file sent to a server, taken in: kept under {@code specDir} as {@code <id>.yaml},
 * validated with its protocol and model looked up in the installation's folders only
 * ({@link CampaignFiles#serverFolders}), and recorded as PLANNED. A file that does not validate
 * leaves nothing behind.
 */
final class CampaignIntake {
  private final InstrumentRegistry registry;
  private final Path specDir;
  private final CampaignFiles files;
  private final CampaignRepository repo;
  private final PrintStream out;

  CampaignIntake(InstrumentRegistry registry, Path specDir, CampaignFiles files, CampaignRepository repo,
      PrintStream out) {
    this.registry = registry;
    this.specDir = specDir;
    this.files = files;
    this.repo = repo;
    this.out = out;
  }

  /** The new campaign's id. */
  String create(String yaml) {
    String id = CampaignLauncher.newCampaignId();
    Path file = specDir.resolve(id + ".yaml");
    try {
      Files.createDirectories(specDir);
      Files.writeString(file, yaml);
    } catch (IOException e) {
      throw new IllegalStateException("cannot keep the campaign file at " + file + ": " + e.getMessage(), e);
    }
    CampaignLauncher.Validated v;
    try {
      v = CampaignLauncher.validate(file, registry, files);
    } catch (SpecException e) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException ignored) {
        // the message below matters more than a leftover file
      }
      throw e;
    }
    CampaignLauncher.record(id, v, repo);
    out.printf("campaign %s created: %s (%s)%n", id, v.spec().name(), file);
    return id;
  }
}
