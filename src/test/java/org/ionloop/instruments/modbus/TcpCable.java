package org.ionloop.instruments.modbus;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback TCP cable between a driver and a device that a test can pull out. Unplugging
 * closes the listening socket and every live connection at once, as a device that loses power
 * or network would: the driver sees resets and refusals, never an answer. (Closing a j2mod
 * slave instead is graceful: a request caught in its shutdown is answered "illegal data
 * address", which is a device's answer, not a vanished device.)
 */
final class TcpCable implements AutoCloseable {
  private final ServerSocket server;
  private final int devicePort;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private volatile boolean plugged = true;

  TcpCable(int devicePort) throws IOException {
    this.devicePort = devicePort;
    this.server = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::accept, "cable-" + devicePort);
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** The port the driver connects to. */
  int port() {
    return server.getLocalPort();
  }

  private void accept() {
    while (plugged) {
      try {
        Socket driver = server.accept();
        Socket device = new Socket(InetAddress.getLoopbackAddress(), devicePort);
        sockets.add(driver);
        sockets.add(device);
        if (!plugged) {
          unplug();
          return;
        }
        pump(driver, device);
        pump(device, driver);
      } catch (IOException e) {
        return; // unplugged
      }
    }
  }

  private void pump(Socket from, Socket to) {
    Thread t = new Thread(() -> {
      byte[] buffer = new byte[1024];
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        for (int n; (n = in.read(buffer)) >= 0; ) {
          out.write(buffer, 0, n);
          out.flush();
        }
      } catch (IOException e) {
        // either end closed: the other goes with it
      }
      closeQuietly(from);
      closeQuietly(to);
    }, "cable-pump");
    t.setDaemon(true);
    t.start();
  }

  /** Pulls the cable: nothing more reaches the device and nothing more comes back. */
  void unplug() {
    plugged = false;
    closeQuietly(server);
    for (Socket s : sockets) {
      closeQuietly(s);
    }
  }

  @Override
  public void close() {
    unplug();
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception e) {
      // already closed
    }
  }
}
