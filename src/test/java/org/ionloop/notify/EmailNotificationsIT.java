package org.ionloop.notify;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator's inbox hears of a campaign: a real SMTP server on loopback (Debian's aiosmtpd,
 * writing each message it accepts to a Maildir) receives the completion of a short campaign.
 */
class EmailNotificationsIT {
  @TempDir
  Path dir;

  @Test
  void theEndOfACampaignIsMailedToTheInstallationsRecipients() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    Path maildir = dir.resolve("maildir");
    Process smtp = new ProcessBuilder("/usr/bin/python3", "-m", "aiosmtpd", "-n", "-l", "127.0.0.1:" + port,
        "-c", "aiosmtpd.handlers.Mailbox", maildir.toString()).redirectErrorStream(true)
        .redirectOutput(dir.resolve("smtp.log").toFile()).start();
    System.setProperty("ionloop.notifications.email.smtp-host", "127.0.0.1");
    System.setProperty("ionloop.notifications.email.smtp-port", String.valueOf(port));
    System.setProperty("ionloop.notifications.email.from", "ionloop@lab.example");
    System.setProperty("ionloop.notifications.email.to", "operator@lab.example, pi@lab.example");
    System.setProperty("ionloop.notifications.first-retry", "100ms");
    System.setProperty("ionloop.notifications.attempts", "8");
    ConfigFactory.invalidateCaches();
    try {
      String state = WebhookNotificationsIT.runShortCampaign(dir);
      // The server may have come up after the first attempt: the notifier retries with backoff.
      String mail = null;
      long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (mail == null && System.nanoTime() < until) {
        mail = messages(maildir).stream().filter(m -> m.contains("Subject: ionloop: campaign") && m.contains(" is " + state))
            .findFirst().orElse(null);
        if (mail == null) {
          Thread.sleep(50);
        }
      }
      assertTrue(mail != null, "no completion mail; got " + messages(maildir) + "; server log: "
          + Files.readString(dir.resolve("smtp.log")));
      assertTrue(mail.contains("From: ionloop@lab.example") && mail.contains("operator@lab.example")
          && mail.contains("pi@lab.example"), mail);
      assertTrue(mail.contains("state: " + state), mail);
    } finally {
      for (String p : List.of("smtp-host", "smtp-port", "from", "to")) {
        System.clearProperty("ionloop.notifications.email." + p);
      }
      System.clearProperty("ionloop.notifications.first-retry");
      System.clearProperty("ionloop.notifications.attempts");
      ConfigFactory.invalidateCaches();
      smtp.destroy();
      smtp.waitFor();
    }
  }

  private static List<String> messages(Path maildir) throws java.io.IOException {
    Path fresh = maildir.resolve("new");
    if (!Files.isDirectory(fresh)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(fresh)) {
      return files.map(f -> {
        try {
          return Files.readString(f);
        } catch (java.io.IOException e) {
          return "";
        }
      }).toList();
    }
  }

  @Test
  void incompleteSettingsAreRefusedNamingTheSetting() {
    var none = ConfigFactory.parseMap(Map.of("smtp-host", "", "smtp-port", 25, "starttls", false, "from", "",
        "to", "", "username", "", "password", ""));
    assertNull(EmailChannel.ofConfig(none), "no host: no e-mail");
    var noRecipients = ConfigFactory.parseMap(Map.of("smtp-host", "127.0.0.1", "smtp-port", 25, "starttls", false,
        "from", "ionloop@lab.example", "to", "", "username", "", "password", ""));
    var e = assertThrows(IllegalArgumentException.class, () -> EmailChannel.ofConfig(noRecipients));
    assertTrue(e.getMessage().contains("to must be too (IONLOOP_NOTIFY_TO)"), e.getMessage());
    var bad = ConfigFactory.parseMap(Map.of("smtp-host", "127.0.0.1", "smtp-port", 25, "starttls", false,
        "from", "ionloop@lab.example", "to", "not an address", "username", "", "password", ""));
    var b = assertThrows(IllegalArgumentException.class, () -> EmailChannel.ofConfig(bad));
    assertTrue(b.getMessage().contains("not an e-mail address"), b.getMessage());
  }
}
