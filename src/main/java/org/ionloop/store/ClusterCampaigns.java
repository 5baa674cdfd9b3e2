package org.ionloop.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.ionloop.ErrorCode;
import org.ionloop.IonloopException;

/**
 * The campaigns a cluster of orchestrator nodes runs ({@code cluster_campaign}): which ones were
 * started on the cluster, and on which node each runs now. The store is the record the whole
 * cluster trusts: a campaign is kept running while it is here and has not ended, whichever node
 * was lost.
 */
public final class ClusterCampaigns {
  /** Where a campaign runs: its node's address, since when, and on how many nodes it has run. */
  public record Placement(String campaignId, String node, Instant placedAt, int placements) {}

  private final DataSource ds;

  public ClusterCampaigns(DataSource ds) {
    this.ds = ds;
  }

  /**
   * Marks a PLANNED campaign as the cluster's to run.
   *
   * @throws java.util.NoSuchElementException when there is no such campaign
   * @throws IllegalStateException when it is not PLANNED or already the cluster's
   */
  public void start(String campaignId, String by) {
    try (Connection c = ds.getConnection()) {
      c.setAutoCommit(false);
      try {
        String state = stateOf(c, campaignId);
        if (!"PLANNED".equals(state)) {
          throw new IllegalStateException("campaign " + campaignId + " is " + state
              + "; only a PLANNED campaign can start");
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM cluster_campaign WHERE campaign_id=?")) {
          ps.setString(1, campaignId);
          try (ResultSet rs = ps.executeQuery()) {
            if (rs.next()) {
              throw new IllegalStateException("campaign " + campaignId + " is started on the cluster already");
            }
          }
        }
        try (PreparedStatement ps = c.prepareStatement(
            "INSERT INTO cluster_campaign (campaign_id, started_at, started_by) VALUES (?,?,?)")) {
          ps.setString(1, campaignId);
          ps.setTimestamp(2, Timestamp.from(Instant.now()));
          ps.setString(3, by);
          ps.executeUpdate();
        }
        c.commit();
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new IonloopException(ErrorCode.STORE, "cannot start campaign " + campaignId + " on the cluster: "
          + e.getMessage(), e);
    }
  }

  /** The cluster's campaigns that have not ended, in the order they were started. */
  public List<String> toKeep() {
    return ids("SELECT cc.campaign_id FROM cluster_campaign cc JOIN campaign c ON c.id = cc.campaign_id"
        + " WHERE c.state NOT IN ('COMPLETED','COMPLETED_WITH_FAILURES','ABORTED','FAILED')"
        + " ORDER BY cc.started_at, cc.campaign_id");
  }

  /** Records that {@code node} runs the campaign from now on. */
  public void placed(String campaignId, String node) {
    try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
        "UPDATE cluster_campaign SET node=?, placed_at=?, placements=placements+1 WHERE campaign_id=?")) {
      ps.setString(1, node);
      ps.setTimestamp(2, Timestamp.from(Instant.now()));
      ps.setString(3, campaignId);
      if (ps.executeUpdate() != 1) {
        throw new IllegalStateException("campaign " + campaignId + " is not one of the cluster's");
      }
    } catch (SQLException e) {
      throw new IonloopException(ErrorCode.STORE, "cannot record where campaign " + campaignId + " runs: "
          + e.getMessage(), e);
    }
  }

  /** Where the campaign runs, if it is the cluster's and has been placed. */
  public Optional<Placement> placement(String campaignId) {
    try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
        "SELECT node, placed_at, placements FROM cluster_campaign WHERE campaign_id=? AND node IS NOT NULL")) {
      ps.setString(1, campaignId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(new Placement(campaignId, rs.getString(1),
            rs.getTimestamp(2).toInstant(), rs.getInt(3))) : Optional.empty();
      }
    } catch (SQLException e) {
      throw new IonloopException(ErrorCode.STORE, "cannot read where campaign " + campaignId + " runs: "
          + e.getMessage(), e);
    }
  }

  private static String stateOf(Connection c, String campaignId) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT state FROM campaign WHERE id=?")) {
      ps.setString(1, campaignId);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw new java.util.NoSuchElementException("no campaign '" + campaignId + "'");
        }
        return rs.getString(1);
      }
    }
  }

  private List<String> ids(String sql) {
    try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql);
        ResultSet rs = ps.executeQuery()) {
      List<String> out = new ArrayList<>();
      while (rs.next()) {
        out.add(rs.getString(1));
      }
      return out;
    } catch (SQLException e) {
      throw new IonloopException(ErrorCode.STORE, "cannot read the cluster's campaigns: " + e.getMessage(), e);
    }
  }
}
