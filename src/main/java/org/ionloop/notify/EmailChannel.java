package org.ionloop.notify;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.Config;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.util.Date;
import java.util.List;
import java.util.Properties;

/**
 * E-mail over SMTP (Jakarta Mail, Eclipse Angus): the notification's text as the subject and first
 * line, its fields below, to the installation's recipients. Server, sender, recipients and
 * credentials come from the installation's configuration ({@code ionloop.notifications.email},
 * or the environment), never from a campaign.
 */
final class EmailChannel implements Notifier.Channel {
  private final String host;
  private final int port;
  private final InternetAddress from;
  private final InternetAddress[] to;
  private final Session session;
  private final String username;
  private final String password;

  private EmailChannel(String host, int port, InternetAddress from, InternetAddress[] to, boolean starttls,
      String username, String password) {
    this.host = host;
    this.port = port;
    this.from = from;
    this.to = to;
    this.username = username;
    this.password = password;
    Properties p = new Properties();
    p.put("mail.smtp.host", host);
    p.put("mail.smtp.port", String.valueOf(port));
    p.put("mail.smtp.connectiontimeout", "5000");
    p.put("mail.smtp.timeout", "10000");
    p.put("mail.smtp.writetimeout", "10000");
    p.put("mail.smtp.starttls.enable", String.valueOf(starttls));
    p.put("mail.smtp.starttls.required", String.valueOf(starttls));
    p.put("mail.smtp.auth", String.valueOf(!username.isEmpty()));
    this.session = Session.getInstance(p);
  }

  /**
   * The channel the settings describe, or null when no SMTP host is set.
   *
   * @throws IllegalArgumentException for a host without sender or recipients, or a malformed address
   */
  static EmailChannel ofConfig(Config c) {
    String host = c.getString("smtp-host").strip();
    if (host.isEmpty()) {
      return null;
    }
    String from = c.getString("from").strip();
    List<String> to = List.of(c.getString("to").split(",")).stream().map(String::strip).filter(s -> !s.isEmpty())
        .toList();
    if (from.isEmpty() || to.isEmpty()) {
      throw new IllegalArgumentException("ionloop.notifications.email: smtp-host is set (" + host + "), so "
          + (from.isEmpty() ? "from" : "to") + " must be too (IONLOOP_NOTIFY_" + (from.isEmpty() ? "FROM" : "TO") + ")");
    }
    try {
      InternetAddress[] recipients = new InternetAddress[to.size()];
      for (int i = 0; i < to.size(); i++) {
        recipients[i] = new InternetAddress(to.get(i), true);
      }
      return new EmailChannel(host, c.getInt("smtp-port"), new InternetAddress(from, true), recipients,
          c.getBoolean("starttls"), c.getString("username"), c.getString("password"));
    } catch (AddressException e) {
      throw new IllegalArgumentException("ionloop.notifications.email: not an e-mail address: '" + e.getRef() + "' ("
          + e.getMessage() + ")");
    }
  }

  @Override
  public void send(ObjectNode n) throws IOException {
    try {
      MimeMessage m = new MimeMessage(session);
      m.setFrom(from);
      m.setRecipients(Message.RecipientType.TO, to);
      m.setSubject(n.path("text").asText(), "UTF-8");
      m.setSentDate(new Date());
      StringBuilder body = new StringBuilder(n.path("text").asText()).append("\n\n");
      n.fields().forEachRemaining(f -> {
        if (!f.getKey().equals("text") && !f.getValue().isNull()) {
          body.append(f.getKey()).append(": ").append(f.getValue().asText()).append('\n');
        }
      });
      m.setText(body.toString(), "UTF-8");
      if (username.isEmpty()) {
        Transport.send(m);
      } else {
        Transport.send(m, username, password);
      }
    } catch (MessagingException e) {
      throw new IOException("SMTP " + host + ":" + port + ": " + e.getMessage(), e);
    }
  }

  @Override
  public String describe() {
    return "e-mail via " + host + ":" + port + " to " + java.util.Arrays.toString(to);
  }
}
