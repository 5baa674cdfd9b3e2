package org.ionloop.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import javax.sql.DataSource;
import org.ionloop.ErrorCode;
import org.ionloop.IonloopException;

/**
 * The lab's queue of campaigns waiting to run, kept in the store ({@code campaign_queue}) so it
 * survives a restart: append, prepend, move to a place, remove; the head starts when the lab is
 * free. Only a PLANNED campaign may wait, and once only. Every change rewrites the positions as
 * 0, 1, 2, … in one transaction, so the order is always the one the operator last saw.
 */
public final class CampaignQueue {
  /** One waiting campaign, with its place (0: next). */
  public record Entry(int position, String campaignId, String name, Instant queuedAt, String queuedBy) {}

  private final DataSource ds;

  public CampaignQueue(DataSource ds) {
    this.ds = ds;
  }

  /** The queue in order. */
  public synchronized List<Entry> entries() {
    try (Connection c = ds.getConnection()) {
      return read(c);
    } catch (SQLException e) {
      throw new IonloopException(ErrorCode.STORE, "cannot read the campaign queue: " + e.getMessage(), e);
    }
  }

  /** The campaign to start next, if any. */
  public Optional<String> head() {
    List<Entry> all = entries();
    return all.isEmpty() ? Optional.empty() : Optional.of(all.get(0).campaignId());
  }

  /**
   * Puts a campaign at the back ({@code front} false) or the front of the queue.
   *
   * @throws NoSuchElementException when there is no such campaign
   * @throws IllegalStateException when it is queued already or not PLANNED
   */
  public synchronized List<Entry> add(String campaignId, boolean front, String by) {
    return change(c -> {
      List<String> order = ids(read(c));
      String state = stateOf(c, campaignId);
      if (order.contains(campaignId)) {
        throw new IllegalStateException("campaign " + campaignId + " is in the queue already, at place "
            + order.indexOf(campaignId) + " (move it instead)");
      }
      if (!"PLANNED".equals(state)) {
        throw new IllegalStateException("campaign " + campaignId + " is " + state + "; only a PLANNED campaign"
            + " waits in the queue");
      }
      try (PreparedStatement ps = c.prepareStatement(
          "INSERT INTO campaign_queue(campaign_id, position, queued_at, queued_by) VALUES (?,?,?,?)")) {
        ps.setString(1, campaignId);
        ps.setLong(2, -1);
        ps.setTimestamp(3, Timestamp.from(Instant.now()));
        ps.setString(4, by == null || by.isBlank() ? "operator" : by);
        ps.executeUpdate();
      }
      order.add(front ? 0 : order.size(), campaignId);
      renumber(c, order);
    });
  }

  /**
   * Moves a queued campaign to {@code position} (0: next; past the end: last).
   *
   * @throws NoSuchElementException when it is not in the queue
   */
  public synchronized List<Entry> move(String campaignId, int position) {
    if (position < 0) {
      throw new IllegalArgumentException("position must be ≥ 0 (0: next), got " + position);
    }
    return change(c -> {
      List<String> order = ids(read(c));
      if (!order.remove(campaignId)) {
        throw notQueued(campaignId, order);
      }
      order.add(Math.min(position, order.size()), campaignId);
      renumber(c, order);
    });
  }

  /**
   * Takes a campaign out of the queue (it stays PLANNED).
   *
   * @throws NoSuchElementException when it is not in the queue
   */
  public synchronized List<Entry> remove(String campaignId) {
    return change(c -> {
      List<String> order = ids(read(c));
      if (!order.remove(campaignId)) {
        throw notQueued(campaignId, order);
      }
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM campaign_queue WHERE campaign_id=?")) {
        ps.setString(1, campaignId);
        ps.executeUpdate();
      }
      renumber(c, order);
    });
  }

  private static NoSuchElementException notQueued(String campaignId, List<String> order) {
    return new NoSuchElementException("campaign '" + campaignId + "' is not in the queue" + (order.isEmpty()
        ? " (it is empty)" : " (" + String.join(", ", order) + ")"));
  }

  private interface Change {
    void apply(Connection c) throws SQLException;
  }

  private List<Entry> change(Change change) {
    try (Connection c = ds.getConnection()) {
      boolean auto = c.getAutoCommit();
      c.setAutoCommit(false);
      try {
        change.apply(c);
        c.commit();
        return read(c);
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(auto);
      }
    } catch (SQLException e) {
      throw new IonloopException(ErrorCode.STORE, "cannot change the campaign queue: " + e.getMessage(), e);
    }
  }

  private static String stateOf(Connection c, String campaignId) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT state FROM campaign WHERE id=?")) {
      ps.setString(1, campaignId);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw new NoSuchElementException("no campaign '" + campaignId + "'");
        }
        return rs.getString(1);
      }
    }
  }

  private static void renumber(Connection c, List<String> order) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("UPDATE campaign_queue SET position=? WHERE campaign_id=?")) {
      for (int i = 0; i < order.size(); i++) {
        ps.setLong(1, i);
        ps.setString(2, order.get(i));
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  private static List<String> ids(List<Entry> entries) {
    List<String> ids = new ArrayList<>();
    entries.forEach(e -> ids.add(e.campaignId()));
    return ids;
  }

  private static List<Entry> read(Connection c) throws SQLException {
    List<Entry> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT q.campaign_id, c.name, q.queued_at, q.queued_by"
        + " FROM campaign_queue q JOIN campaign c ON c.id = q.campaign_id ORDER BY q.position, q.queued_at");
         ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(new Entry(out.size(), rs.getString(1), rs.getString(2), rs.getTimestamp(3).toInstant(),
            rs.getString(4)));
      }
    }
    return out;
  }
}
