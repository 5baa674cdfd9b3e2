package org.ionloop.campaign;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import org.ionloop.Installation;
import org.ionloop.proposer.model.ModelCard;
import org.ionloop.spec.SpecNode;

/**
 * Where the files a campaign names are looked up, and how much an error may say about the
 * server's folders.
 *
 * <ul>
 *   <li>A campaign file on disk ({@code ionloop run FILE}, {@code validate}): its protocol resolves
 *       relative to the campaign file, like an include in any other tool; errors name the absolute
 *       path tried.
 *   <li>A campaign sent over the API: its protocol must lie inside the installation's protocols
 *       folder; errors name the field and the value sent, never a server path.
 * </ul>
 *
 * <p>Either way a model is a folder inside the installation's models folder: {@code model:
 * proposer} is {@code <models-dir>/proposer}. Neither {@code ..} nor a symbolic link can leave it.
 */
public final class CampaignFiles {
  private final Path campaignDir;
  private final Path protocolsDir;
  private final Path modelsDir;
  private final boolean showPaths;

  private CampaignFiles(Path campaignDir, Path protocolsDir, Path modelsDir, boolean showPaths) {
    this.campaignDir = campaignDir;
    this.protocolsDir = protocolsDir;
    this.modelsDir = modelsDir;
    this.showPaths = showPaths;
  }

  /** A campaign file the user points at: paths beside it. */
  public static CampaignFiles besideFile(Path campaignFile, Installation installation) {
    Path dir = campaignFile.toAbsolutePath().normalize().getParent();
    return new CampaignFiles(dir, null, installation.modelsDir(), true);
  }

  /** A campaign sent to the server: the installation's folders, and no paths in errors. */
  public static CampaignFiles serverFolders(Installation installation) {
    return new CampaignFiles(null, installation.protocolsDir(), installation.modelsDir(), false);
  }

  /** Whether errors may name absolute paths (not over the API). */
  public boolean showsPaths() {
    return showPaths;
  }

  /** The protocol file a campaign names in {@code field}. */
  Path protocol(SpecNode node, String field) {
    String value = node.requiredText(field);
    SpecNode at = node.required(field);
    Path p = parse(at, value);
    if (protocolsDir == null) {
      Path resolved = campaignDir.resolve(p).normalize();
      if (!Files.isRegularFile(resolved)) {
        throw at.error("protocol file not found: looked for " + resolved
            + " (paths in a campaign file are relative to the campaign file)");
      }
      return resolved;
    }
    if (p.isAbsolute()) {
      throw at.error("must name a protocol in the server's protocols folder, not an absolute path");
    }
    Path resolved = inside(protocolsDir, p);
    if (resolved == null || !Files.isRegularFile(resolved)) {
      throw at.error("no protocol '" + value + "' in the server's protocols folder");
    }
    return resolved;
  }

  /**
   * The model folder a campaign names in {@code field}, checked to be a model: a readable card
   * and the network file it names.
   */
  /** A model folder a campaign names, with its card (read once, for the checks that follow). */
  record Model(Path dir, ModelCard card) {}

  Model model(SpecNode node, String field) {
    String value = node.requiredText(field);
    SpecNode at = node.required(field);
    Path p = parse(at, value);
    if (p.isAbsolute()) {
      throw at.error("must name a model folder inside the models folder"
          + (showPaths ? " (" + modelsDir + ")" : "") + ", e.g. 'proposer', not an absolute path");
    }
    Path dir = inside(modelsDir, p);
    String where = showPaths ? " (" + modelsDir + ")" : "";
    if (dir == null) {
      throw at.error("'" + value + "' leads outside the models folder" + where);
    }
    if (!Files.isDirectory(dir)) {
      throw at.error("no model '" + value + "' in the models folder" + where);
    }
    Path card = dir.resolve("model-card.json");
    if (!Files.isRegularFile(card)) {
      throw at.error("'" + value + "' is not a model: it has no model-card.json");
    }
    ModelCard c;
    try {
      c = ModelCard.load(card);
    } catch (RuntimeException e) {
      throw at.error("'" + value + "' is not a usable model: its model card cannot be read");
    }
    Path network = c.file() == null ? null : inside(dir, parse(at, c.file()));
    if (network == null || !Files.isRegularFile(network)) {
      throw at.error("'" + value + "' is not a usable model: the network file its card names ("
          + c.file() + ") is missing");
    }
    return new Model(dir, c);
  }

  private static Path parse(SpecNode at, String value) {
    try {
      return Path.of(value);
    } catch (InvalidPathException e) {
      throw at.error("not a usable path: " + e.getReason());
    }
  }

  /**
   * {@code base/relative} if it stays inside {@code base} after normalising and after following
   * symbolic links; else null.
   */
  private static Path inside(Path base, Path relative) {
    Path resolved = base.resolve(relative).normalize();
    if (!resolved.startsWith(base)) {
      return null;
    }
    if (Files.exists(resolved)) {
      try {
        if (!resolved.toRealPath().startsWith(base.toRealPath())) {
          return null;
        }
      } catch (IOException e) {
        return null;
      }
    }
    return resolved;
  }
}
