package org.ionloop.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.ionloop.instruments.Instrument;
import org.ionloop.store.CampaignRepository;

/**
 * The lab now: each instrument's state (from this server's drivers where it drives them: online,
 * busy, fault, offline, since when last heard), the command it runs and for which experiment of
 * which campaign (from the store, so campaigns run by {@code ionloop run} elsewhere show too),
 * whether it is out of service, and which samples sit in it; and each running experiment's
 * sample: where it is and the transfers that took it there.
 *
 * <p>A sample's place is the destination of its last completed transfer (before any, the
 * instrument of its last completed step: the robot that dispensed and milled it).
 */
final class LabView {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final CampaignRepository repo;
  private final CampaignControl control;

  LabView(CampaignRepository repo, CampaignControl control) {
    this.repo = repo;
    this.control = control;
  }

  private record Command(String commandId, String action, String experimentId, String campaignId, String since) {}

  private record Last(String action, String state, String at) {}

  private record Transfer(String at, String from, String to) {}

  /** The view as the API returns it; {@code as_of} left out, so two views compare equal when nothing changed. */
  ObjectNode now() {
    Map<String, Command> busy = new TreeMap<>();
    repo.query("SELECT s.instrument, s.command_id, s.action, s.experiment_id, e.campaign_id, s.started_at FROM step s"
        + " JOIN experiment e ON e.id=s.experiment_id WHERE s.state='SENT' AND e.state='RUNNING' ORDER BY s.id",
        rs -> busy.put(rs.getString(1), new Command(rs.getString(2), rs.getString(3), rs.getString(4),
            rs.getString(5), CampaignViews.iso(rs.getTimestamp(6)))));
    Map<String, Last> last = new TreeMap<>();
    repo.query("SELECT instrument, action, state, COALESCE(finished_at, started_at) FROM step"
        + " WHERE id IN (SELECT MAX(id) FROM step GROUP BY instrument)",
        rs -> last.put(rs.getString(1), new Last(rs.getString(2), rs.getString(3), CampaignViews.iso(rs.getTimestamp(4)))));
    Map<String, String> outOfService = repo.stationsOutOfService();
    Map<String, String[]> running = new LinkedHashMap<>(); // experiment -> campaign, place, since
    Map<String, List<Transfer>> transfers = new LinkedHashMap<>();
    repo.query("SELECT e.id, e.campaign_id, s.instrument, s.action, s.params, s.finished_at FROM experiment e"
        + " LEFT JOIN step s ON s.experiment_id=e.id AND s.state='DONE' WHERE e.state='RUNNING' ORDER BY e.id, s.id",
        rs -> {
          String experiment = rs.getString(1);
          String campaign = rs.getString(2);
          String[] row = running.computeIfAbsent(experiment, k -> new String[] {campaign, null, null});
          if (rs.getString(3) == null) {
            return null; // no step done yet
          }
          String at = CampaignViews.iso(rs.getTimestamp(6));
          if ("transfer".equals(rs.getString(4))) {
            JsonNode p = CampaignViews.readJson(rs.getString(5));
            transfers.computeIfAbsent(experiment, k -> new ArrayList<>())
                .add(new Transfer(at, p.path("from").asText(null), p.path("to").asText(null)));
            row[1] = p.path("to").asText(row[1]);
            row[2] = at;
          } else if (!transfers.containsKey(experiment)) {
            row[1] = rs.getString(3);
            row[2] = at;
          }
          return null;
        });
    Map<String, Instrument.Description> live = control.instrumentStates();
    TreeSet<String> ids = new TreeSet<>(control.instrumentIds());
    ids.addAll(live.keySet());
    ids.addAll(busy.keySet());
    ids.addAll(last.keySet());
    ids.addAll(outOfService.keySet());

    ObjectNode out = NODES.objectNode();
    ArrayNode instruments = out.putArray("instruments");
    for (String id : ids) {
      ObjectNode i = instruments.addObject().put("id", id);
      Instrument.Description d = live.get(id);
      if (d != null) {
        i.put("state", d.state().name()).put("connected", d.connected()).put("queued", d.queued())
            .put("last_heard", d.lastHeard() == null ? null : d.lastHeard().toString()).put("stale", d.stale());
      } else {
        i.putNull("state"); // not driven by this server (yet): only the store's view
      }
      i.put("out_of_service", outOfService.get(id));
      Command c = busy.get(id);
      if (c == null) {
        i.putNull("command");
      } else {
        i.putObject("command").put("command_id", c.commandId()).put("action", c.action())
            .put("experiment_id", c.experimentId()).put("campaign_id", c.campaignId()).put("since", c.since());
      }
      Last l = last.get(id);
      if (l == null) {
        i.putNull("last");
      } else {
        i.putObject("last").put("action", l.action()).put("state", l.state()).put("at", l.at());
      }
      ArrayNode holds = i.putArray("samples");
      running.forEach((experiment, row) -> {
        if (id.equals(row[1])) {
          holds.addObject().put("experiment_id", experiment).put("campaign_id", row[0]).put("since", row[2]);
        }
      });
    }
    ArrayNode samples = out.putArray("samples");
    running.forEach((experiment, row) -> {
      ObjectNode s = samples.addObject().put("experiment_id", experiment).put("campaign_id", row[0])
          .put("place", row[1]).put("since", row[2]);
      ArrayNode history = s.putArray("transfers");
      transfers.getOrDefault(experiment, List.of()).forEach(t ->
          history.addObject().put("at", t.at()).put("from", t.from()).put("to", t.to()));
    });
    return out;
  }
}
