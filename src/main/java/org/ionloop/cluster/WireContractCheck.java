package org.ionloop.cluster;

import akka.cluster.ConfigValidation;
import akka.cluster.Invalid;
import akka.cluster.JoinConfigCompatChecker;
import akka.cluster.Valid$;
import com.typesafe.config.Config;
import java.util.List;

/**
 * Refuses a node that speaks another instrument wire contract than the cluster's: its drivers
 * would read the devices' registers and topics another way, and a campaign that moved to it
 * after a node was lost would resume against devices it misreads. Akka runs this on the cluster's
 * side when a node asks to join; the refused node is told why and stops.
 */
public final class WireContractCheck extends JoinConfigCompatChecker {
  static final String KEY = "ionloop.cluster.wire-contract";

  @Override
  public scala.collection.immutable.Seq<String> requiredKeys() {
    return scala.jdk.javaapi.CollectionConverters.asScala(List.of(KEY)).toList();
  }

  @Override
  public ConfigValidation check(Config joining, Config cluster) {
    String theirs = joining.hasPath(KEY) ? joining.getString(KEY) : "none (an ionloop without wire contracts)";
    String ours = cluster.getString(KEY);
    if (ours.equals(theirs)) {
      return Valid$.MODULE$;
    }
    return new Invalid(scala.jdk.javaapi.CollectionConverters.asScala(List.of(
        "the joining node speaks instrument wire contract " + theirs + ", this cluster speaks " + ours
            + "; run the same ionloop version on every node")).toList());
  }
}
