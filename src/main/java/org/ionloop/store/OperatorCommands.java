package org.ionloop.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;
import org.ionloop.ErrorCode;
import org.ionloop.IonloopException;

/**
 * The operator's inbox in the store: commands issued from any terminal ({@code ionloop campaign
 * approve …}) wait in {@code operator_command} until the orchestrator running the campaign has
 * carried them out and written the outcome. The store is the one thing both always reach.
 */
public final class OperatorCommands {
  /** What an operator may ask. */
  public static final Set<String> KINDS = Set.of("approve", "reject", "pause", "resume", "stop", "abort",
      "release");

  /** One command; {@code outcome} is "ok" or the refusal, null while pending. */
  public record OperatorCommand(long id, String campaignId, String kind, String experimentId,
      String stepId, String reason, String issuedBy, Instant issuedAt, Instant handledAt,
      String outcome) {}

  private final DataSource ds;

  public OperatorCommands(DataSource ds) {
    this.ds = ds;
  }

  /** Files a command; its id. */
  public long issue(String campaignId, String kind, String experimentId, String stepId,
      String reason, String issuedBy) {
    if (!KINDS.contains(kind)) {
      throw new IllegalArgumentException("unknown operator command '" + kind + "' (" + KINDS + ")");
    }
    try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
        "INSERT INTO operator_command(campaign_id,kind,experiment_id,step_id,reason,issued_by,issued_at)"
            + " VALUES (?,?,?,?,?,?,?)", Statement.RETURN_GENERATED_KEYS)) {
      ps.setString(1, campaignId);
      ps.setString(2, kind);
      ps.setString(3, experimentId);
      ps.setString(4, stepId);
      ps.setString(5, reason);
      ps.setString(6, issuedBy);
      ps.setTimestamp(7, Timestamp.from(Instant.now()));
      ps.executeUpdate();
      try (ResultSet keys = ps.getGeneratedKeys()) {
        keys.next();
        return keys.getLong(1);
      }
    } catch (SQLException e) {
      throw new IonloopException(ErrorCode.STORE, "cannot file operator command: " + e.getMessage(), e);
    }
  }

  /** Commands for a campaign not yet carried out, oldest first. */
  public List<OperatorCommand> pending(String campaignId) {
    return select("campaign_id=? AND handled_at IS NULL ORDER BY id", campaignId);
  }

  public Optional<OperatorCommand> find(long id) {
    return select("id=?", id).stream().findFirst();
  }

  /** The outcome column's width (VARCHAR in V3__operator_commands.sql). */
  static final int OUTCOME_WIDTH = 2000;

  /**
   * The outcome as the column can hold it. A longer one is shortened visibly, saying how much was
   * left out and where the whole of it is (the campaign's operator_command event and the log),
   * rather than cut mid-word without a trace.
   */
  static String fitOutcome(String outcome) {
    if (outcome.length() <= OUTCOME_WIDTH) {
      return outcome;
    }
    String note = " … [%d more characters; the whole outcome is in the campaign's operator_command event]";
    // Sized for the longest count (the whole length), so the shortened text always fits.
    int keep = OUTCOME_WIDTH - String.format(note, outcome.length()).length();
    if (Character.isHighSurrogate(outcome.charAt(keep - 1))) {
      keep--; // never split a character in two
    }
    return outcome.substring(0, keep) + String.format(note, outcome.length() - keep);
  }

  /** Records what came of a command. */
  public void handled(long id, String outcome) {
    try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
        "UPDATE operator_command SET handled_at=?, outcome=? WHERE id=?")) {
      ps.setTimestamp(1, Timestamp.from(Instant.now()));
      ps.setString(2, fitOutcome(outcome));
      ps.setLong(3, id);
      ps.executeUpdate();
    } catch (SQLException e) {
      throw new IonloopException(ErrorCode.STORE, "cannot record operator command outcome: " + e.getMessage(), e);
    }
  }

  private List<OperatorCommand> select(String where, Object arg) {
    try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
        "SELECT id,campaign_id,kind,experiment_id,step_id,reason,issued_by,issued_at,handled_at,outcome"
            + " FROM operator_command WHERE " + where)) {
      ps.setObject(1, arg);
      try (ResultSet rs = ps.executeQuery()) {
        List<OperatorCommand> out = new java.util.ArrayList<>();
        while (rs.next()) {
          Timestamp handled = rs.getTimestamp(9);
          out.add(new OperatorCommand(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
              rs.getString(5), rs.getString(6), rs.getString(7), rs.getTimestamp(8).toInstant(),
              handled == null ? null : handled.toInstant(), rs.getString(10)));
        }
        return out;
      }
    } catch (SQLException e) {
      throw new IonloopException(ErrorCode.STORE, "cannot read operator commands: " + e.getMessage(), e);
    }
  }
}
