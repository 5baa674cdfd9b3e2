package org.ionloop.instruments.mqtt;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.ionloop.ErrorCode;
import org.ionloop.IonloopException;

/**
 * How the orchestrator authenticates to a broker: username/password (Mosquitto password file)
 * and, for {@code ssl://} URLs, trust in the broker's CA.
 *
 * @param username  null for anonymous
 * @param password  never logged
 * @param tlsCaFile PEM CA certificate; null to use the JVM's trust store
 */
public record MqttSecurity(String username, char[] password, Path tlsCaFile) {
  /** Anonymous, JVM trust store. */
  public static final MqttSecurity NONE = new MqttSecurity(null, null, null);

  /**
   * Resolves a named credential set from the environment: {@code IONLOOP_CREDENTIALS_<NAME>_USERNAME}
   * and {@code IONLOOP_CREDENTIALS_<NAME>_PASSWORD}, NAME upper-cased with '-' as '_'.
   *
   * @throws IonloopException code INVALID_SPEC naming the missing variable
   */
  public static MqttSecurity fromEnvironment(String credentials, String tlsCaFile,
      java.util.function.Function<String, String> env) {
    String user = null;
    char[] password = null;
    if (credentials != null) {
      String prefix = "IONLOOP_CREDENTIALS_" + credentials.toUpperCase(java.util.Locale.ROOT)
          .replace('-', '_');
      user = env.apply(prefix + "_USERNAME");
      String pw = env.apply(prefix + "_PASSWORD");
      if (user == null || pw == null) {
        throw new IonloopException(ErrorCode.INVALID_SPEC, "credentials '" + credentials
            + "' need the environment variables " + prefix + "_USERNAME and " + prefix + "_PASSWORD");
      }
      password = pw.toCharArray();
    } else if (env.apply("IONLOOP_MQTT_USERNAME") != null) {
      // One login for every MQTT instrument without credentials of its own (a lab broker
      // with authentication, e.g. deploy/native/lab.sh and docker-compose.yml).
      user = env.apply("IONLOOP_MQTT_USERNAME");
      String pw = env.apply("IONLOOP_MQTT_PASSWORD");
      if (pw == null) {
        throw new IonloopException(ErrorCode.INVALID_SPEC,
            "IONLOOP_MQTT_USERNAME is set but IONLOOP_MQTT_PASSWORD is not");
      }
      password = pw.toCharArray();
    }
    return new MqttSecurity(user, password, tlsCaFile == null ? null : Path.of(tlsCaFile));
  }

  /** Sets credentials and the socket factory: TLS trusting the CA file when given, no Nagle always. */
  void apply(MqttConnectOptions o) {
    if (tlsCaFile == null) {
      o.setSocketFactory(NoDelaySocketFactory.plain());
    }
    if (username != null) {
      o.setUserName(username);
      o.setPassword(password);
    }
    if (tlsCaFile != null) {
      o.setSocketFactory(new NoDelaySocketFactory(tlsContext(tlsCaFile).getSocketFactory()));
    }
  }

  /**
   * Checks, without connecting, that this security can be used: the CA file exists and holds a
   * certificate. {@code validate} calls it so a run cannot hang on a broker it will never trust.
   *
   * @throws IonloopException code INVALID_SPEC saying what is wrong with the CA file
   */
  public void verify() {
    if (tlsCaFile != null) {
      tlsContext(tlsCaFile);
    }
  }

  private static SSLContext tlsContext(Path caFile) {
    if (!Files.isRegularFile(caFile)) {
      throw new IonloopException(ErrorCode.INVALID_SPEC, "TLS CA file " + caFile.toAbsolutePath()
          + " does not exist");
    }
    try (InputStream in = Files.newInputStream(caFile)) {
      Certificate ca = CertificateFactory.getInstance("X.509").generateCertificate(in);
      KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
      ks.load(null, null);
      ks.setCertificateEntry("broker-ca", ca);
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(ks);
      SSLContext ctx = SSLContext.getInstance("TLSv1.3");
      ctx.init(null, tmf.getTrustManagers(), null);
      return ctx;
    } catch (Exception e) {
      throw new IonloopException(ErrorCode.INVALID_SPEC, "cannot use TLS CA file " + caFile
          + " (not a PEM certificate?): " + e.getMessage(), e);
    }
  }

  @Override
  public String toString() {
    return "MqttSecurity[username=" + username + ", password=" + (password == null ? "none" : "***")
        + ", tlsCaFile=" + tlsCaFile + "]";
  }
}
