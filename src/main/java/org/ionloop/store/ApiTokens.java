package org.ionloop.store;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.ionloop.ErrorCode;
import org.ionloop.IonloopException;

/**
 * API tokens of the HTTP server. A token is 32 random bytes shown once when it is made; the store
 * keeps only its SHA-256 (a random 256-bit secret needs no slow hash: there is nothing to guess),
 * so a copy of the database lets nobody in. Revoked tokens stay as rows, for the audit trail.
 */
public final class ApiTokens {
  /** Roles, weakest first: each may do what the ones before it may. */
  public static final List<String> ROLES = List.of("viewer", "operator", "admin");
  private static final String PREFIX = "ilt_";
  /** The one shape a secret has: the prefix and 43 base64url characters (32 bytes), exactly. */
  private static final java.util.regex.Pattern SECRET =
      java.util.regex.Pattern.compile("ilt_[A-Za-z0-9_-]{43}");
  /** Longest token name: a person's or a robot's name, not a document. */
  public static final int MAX_NAME_LENGTH = 100;
  private static final SecureRandom RANDOM = new SecureRandom();

  /** A stored token (without its secret). */
  public record TokenRow(long id, String name, String role, Instant createdAt, Instant revokedAt) {}

  /** A token just made: the secret exists only here. */
  public record NewToken(TokenRow row, String secret) {}

  private final DataSource ds;

  public ApiTokens(DataSource ds) {
    this.ds = ds;
  }

  /**
   * Makes a token.
   *
   * @throws IllegalArgumentException for an unknown role or a blank name
   */
  public NewToken create(String name, String role) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("a token needs a name (who or what uses it)");
    }
    if (name.length() > MAX_NAME_LENGTH) {
      throw new IllegalArgumentException("a token name has at most " + MAX_NAME_LENGTH
          + " characters, got " + name.length());
    }
    if (name.codePoints().anyMatch(Character::isISOControl)) {
      throw new IllegalArgumentException("a token name cannot contain control characters");
    }
    if (!ROLES.contains(role)) {
      throw new IllegalArgumentException("unknown role '" + role + "' (roles: " + String.join(", ", ROLES) + ")");
    }
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    String secret = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    Instant now = Instant.now();
    try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
        "INSERT INTO api_token(name,role,token_sha256,created_at) VALUES (?,?,?,?)",
        Statement.RETURN_GENERATED_KEYS)) {
      ps.setString(1, name);
      ps.setString(2, role);
      ps.setString(3, sha256(secret));
      ps.setTimestamp(4, Timestamp.from(now));
      ps.executeUpdate();
      try (ResultSet keys = ps.getGeneratedKeys()) {
        keys.next();
        return new NewToken(new TokenRow(keys.getLong(1), name, role, now, null), secret);
      }
    } catch (SQLException e) {
      throw new IonloopException(ErrorCode.STORE, "cannot store token: " + e.getMessage(), e);
    }
  }

  /**
   * The live token with exactly this secret, if any: case-sensitive, and the stored hash is
   * compared in constant time (the lookup by hash already needs the whole hash, which an
   * attacker cannot steer; the final comparison does not depend on how much of it matches).
   */
  public Optional<TokenRow> authenticate(String secret) {
    if (secret == null || !SECRET.matcher(secret).matches()) {
      return Optional.empty();
    }
    String hash = sha256(secret);
    return selectWithHash("token_sha256=? AND revoked_at IS NULL", hash).stream()
        .filter(r -> MessageDigest.isEqual(r.hash().getBytes(StandardCharsets.US_ASCII),
            hash.getBytes(StandardCharsets.US_ASCII)))
        .map(HashedRow::row).findFirst();
  }

  private record HashedRow(TokenRow row, String hash) {}

  private List<HashedRow> selectWithHash(String where, String arg) {
    try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
        "SELECT id,name,role,created_at,revoked_at,token_sha256 FROM api_token WHERE " + where)) {
      ps.setString(1, arg);
      try (ResultSet rs = ps.executeQuery()) {
        List<HashedRow> out = new ArrayList<>();
        while (rs.next()) {
          out.add(new HashedRow(row(rs), rs.getString(6)));
        }
        return out;
      }
    } catch (SQLException e) {
      throw new IonloopException(ErrorCode.STORE, "cannot read tokens: " + e.getMessage(), e);
    }
  }

  private static TokenRow row(ResultSet rs) throws SQLException {
    Timestamp revoked = rs.getTimestamp(5);
    return new TokenRow(rs.getLong(1), rs.getString(2), rs.getString(3),
        rs.getTimestamp(4).toInstant(), revoked == null ? null : revoked.toInstant());
  }

  /** Every token, revoked ones too, oldest first. */
  public List<TokenRow> all() {
    return select("1=1 ORDER BY id", null);
  }

  /** True when no live token exists (a fresh store). */
  public boolean noneLive() {
    return select("revoked_at IS NULL", null).isEmpty();
  }

  /** Revokes a token; false when there is no live token with that id. */
  public boolean revoke(long id) {
    try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
        "UPDATE api_token SET revoked_at=? WHERE id=? AND revoked_at IS NULL")) {
      ps.setTimestamp(1, Timestamp.from(Instant.now()));
      ps.setLong(2, id);
      return ps.executeUpdate() == 1;
    } catch (SQLException e) {
      throw new IonloopException(ErrorCode.STORE, "cannot revoke token: " + e.getMessage(), e);
    }
  }

  private List<TokenRow> select(String where, Object arg) {
    try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
        "SELECT id,name,role,created_at,revoked_at FROM api_token WHERE " + where)) {
      if (arg != null) {
        ps.setObject(1, arg);
      }
      try (ResultSet rs = ps.executeQuery()) {
        List<TokenRow> out = new ArrayList<>();
        while (rs.next()) {
          out.add(row(rs));
        }
        return out;
      }
    } catch (SQLException e) {
      throw new IonloopException(ErrorCode.STORE, "cannot read tokens: " + e.getMessage(), e);
    }
  }

  static String sha256(String secret) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(secret.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JVM", e);
    }
  }
}
