package org.ionloop.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.ionloop.instruments.InstrumentRegistry;
import org.ionloop.instruments.mqtt.BrokerAcl;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ionloop deploy broker-acl}: files a lab's broker needs, written from its instrument files. */
@Command(name = "deploy", mixinStandardHelpOptions = true,
    description = "Write deployment files from the lab's instrument files.",
    subcommands = {DeployCommand.BrokerAclCommand.class})
final class DeployCommand {

  @Command(name = "broker-acl", mixinStandardHelpOptions = true,
      description = "Print a Mosquitto ACL: each MQTT instrument gets only its own topics in its own lab.")
  static final class BrokerAclCommand implements Callable<Integer> {
    @Option(names = "--instruments", defaultValue = "${sys:ionloop.home:-.}/instruments",
        description = "Instrument folder (default ${DEFAULT-VALUE}).")
    Path instruments;

    @Override
    public Integer call() {
      System.out.print(BrokerAcl.of(InstrumentRegistry.load(instruments).all()));
      return 0;
    }
  }
}
