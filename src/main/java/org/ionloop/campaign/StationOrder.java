package org.ionloop.campaign;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.ionloop.protocols.ProtocolSpec;
import org.ionloop.protocols.ProtocolStep;

/**
 * The order in which a campaign's experiments take stations: "holding station a, it may wait
 * for station b". Experiments of one protocol acquire in the same order and cannot deadlock;
 * campaigns with different protocols sharing a lab can (A holds the furnace and waits for the
 * analyzer cell while B holds the cell and waits for the furnace). The lab refuses to start a
 * campaign whose order closes a cycle with the campaigns running, naming the stations, rather
 * than let both stall with samples inside.
 */
public final class StationOrder {
  /** Holding {@code held}, an experiment may wait for {@code next}. */
  public record Edge(String held, String next) {}

  private final Set<Edge> edges;

  private StationOrder(Set<Edge> edges) {
    this.edges = Set.copyOf(edges);
  }

  /**
   * @param pools per role, the stations a campaign binds to it
   */
  public static StationOrder of(ProtocolSpec protocol, Map<String, List<String>> pools) {
    Set<Edge> edges = new LinkedHashSet<>();
    Set<String> heldRoles = new LinkedHashSet<>();
    for (ProtocolStep step : protocol.steps()) {
      for (String role : step.acquire()) {
        if (heldRoles.add(role)) {
          for (String held : heldRoles) {
            if (held.equals(role)) {
              continue;
            }
            for (String a : pools.getOrDefault(held, List.of())) {
              for (String b : pools.getOrDefault(role, List.of())) {
                if (!a.equals(b)) {
                  edges.add(new Edge(a, b));
                }
              }
            }
          }
        }
      }
      step.release().forEach(heldRoles::remove);
    }
    return new StationOrder(edges);
  }

  public Set<Edge> edges() {
    return edges;
  }

  /**
   * A cycle of waits through these orders together, as the stations along it (first repeated at
   * the end), or empty when none exists.
   */
  public static Optional<List<String>> cycle(Collection<StationOrder> orders) {
    Map<String, Set<String>> next = new HashMap<>();
    for (StationOrder o : orders) {
      for (Edge e : o.edges) {
        next.computeIfAbsent(e.held(), k -> new LinkedHashSet<>()).add(e.next());
      }
    }
    Set<String> done = new HashSet<>();
    for (String start : new ArrayList<>(next.keySet())) {
      List<String> path = new ArrayList<>();
      Optional<List<String>> found = search(start, next, done, new HashSet<>(), path);
      if (found.isPresent()) {
        return found;
      }
    }
    return Optional.empty();
  }

  private static Optional<List<String>> search(String station, Map<String, Set<String>> next,
      Set<String> done, Set<String> onPath, List<String> path) {
    if (onPath.contains(station)) {
      List<String> loop = new ArrayList<>(path.subList(path.indexOf(station), path.size()));
      loop.add(station);
      return Optional.of(loop);
    }
    if (!done.add(station)) {
      return Optional.empty();
    }
    onPath.add(station);
    path.add(station);
    for (String n : next.getOrDefault(station, Set.of())) {
      Optional<List<String>> found = search(n, next, done, onPath, path);
      if (found.isPresent()) {
        return found;
      }
    }
    onPath.remove(station);
    path.remove(path.size() - 1);
    return Optional.empty();
  }
}
