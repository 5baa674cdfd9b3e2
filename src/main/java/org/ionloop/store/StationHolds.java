package org.ionloop.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.ionloop.ErrorCode;
import org.ionloop.IonloopException;

/**
 * The stations a cluster's lock table has granted and not yet had back ({@code station_hold}):
 * the table outlives the node it runs on only through this.
 */
public final class StationHolds {
  /** {@code station} is held by {@code owner} (an experiment) of {@code party} (its campaign). */
  public record Held(String station, String owner, String party) {}

  private final DataSource ds;

  public StationHolds(DataSource ds) {
    this.ds = ds;
  }

  /** Every station held now. */
  public List<Held> all() {
    try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
        "SELECT station, owner, party FROM station_hold ORDER BY station");
        ResultSet rs = ps.executeQuery()) {
      List<Held> out = new ArrayList<>();
      while (rs.next()) {
        out.add(new Held(rs.getString(1), rs.getString(2), rs.getString(3)));
      }
      return out;
    } catch (SQLException e) {
      throw new IonloopException(ErrorCode.STORE, "cannot read the stations held: " + e.getMessage(), e);
    }
  }

  /** Records that {@code station} is held as {@code held} says, replacing an earlier holder. */
  public void hold(Held held) {
    try (Connection c = ds.getConnection()) {
      c.setAutoCommit(false);
      try (PreparedStatement del = c.prepareStatement("DELETE FROM station_hold WHERE station=?");
          PreparedStatement ins = c.prepareStatement(
              "INSERT INTO station_hold(station, owner, party, held_since) VALUES (?,?,?,?)")) {
        del.setString(1, held.station());
        del.executeUpdate();
        ins.setString(1, held.station());
        ins.setString(2, held.owner());
        ins.setString(3, held.party());
        ins.setTimestamp(4, Timestamp.from(Instant.now()));
        ins.executeUpdate();
        c.commit();
      } catch (SQLException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new IonloopException(ErrorCode.STORE, "cannot record that " + held.owner() + " holds "
          + held.station() + ": " + e.getMessage(), e);
    }
  }

  /** Records that nobody holds {@code station}. */
  public void free(String station) {
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement("DELETE FROM station_hold WHERE station=?")) {
      ps.setString(1, station);
      ps.executeUpdate();
    } catch (SQLException e) {
      throw new IonloopException(ErrorCode.STORE, "cannot record that " + station + " is free: " + e.getMessage(), e);
    }
  }
}
