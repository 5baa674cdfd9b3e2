package org.ionloop.instruments.mqtt;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.ionloop.sim.Ports;

/**
 * A real Mosquitto broker (Debian package) started on a free loopback port for a test. Fails,
 * never skips, when mosquitto is not installed: the test command installs it.
 */
public final class MosquittoBroker implements AutoCloseable {
  private static final Path BINARY = Path.of("/usr/sbin/mosquitto");
  private final Path dir;
  private final int port;
  private Process process;

  public MosquittoBroker() throws IOException {
    this("allow_anonymous true\n");
  }

  /**
   * @param config extra mosquitto.conf lines (authentication, ACL, persistence)
   */
  public MosquittoBroker(String config) throws IOException {
    if (!Files.isExecutable(BINARY)) {
      throw new IllegalStateException("mosquitto is not installed (" + BINARY
          + "); run the README's test command, which installs it with apt-get");
    }
    this.dir = Files.createTempDirectory("mosquitto");
    this.port = Ports.free();
    Files.writeString(dir.resolve("mosquitto.conf"), "listener " + port + " 127.0.0.1\n"
        // As root, mosquitto would drop to user 'mosquitto', which cannot read our temp files.
        + "log_dest stderr\nuser root\n" + config.replace("${dir}", dir.toString()));
    start();
  }

  /** Starts (or restarts) the broker process and waits until it accepts connections. */
  public void start() throws IOException {
    process = new ProcessBuilder(BINARY.toString(), "-c", dir.resolve("mosquitto.conf").toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve("mosquitto.log").toFile()).start();
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < until) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return;
      } catch (IOException e) {
        sleep(50);
      }
    }
    throw new IOException("mosquitto did not listen on 127.0.0.1:" + port + ": "
        + Files.readString(dir.resolve("mosquitto.log")));
  }

  /** Stops the broker process (to test reconnects); {@link #start()} brings it back. */
  public void stop() throws InterruptedException {
    process.destroy();
    process.waitFor(5, TimeUnit.SECONDS);
  }

  /** The broker's scratch folder (configuration, password file, persistence). */
  public Path dir() {
    return dir;
  }

  public String url() {
    return "tcp://127.0.0.1:" + port;
  }

  @Override
  public void close() throws InterruptedException {
    stop();
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
