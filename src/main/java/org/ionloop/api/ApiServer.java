package org.ionloop.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpResponseException;
import io.javalin.http.staticfiles.Location;
import io.javalin.json.JavalinJackson;
import io.javalin.security.RouteRole;
import jakarta.servlet.DispatcherType;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import org.ionloop.spec.SpecException;
import org.ionloop.store.ApiTokens;
import org.ionloop.store.CampaignHistory;
import org.ionloop.store.CampaignRepository;
import org.ionloop.store.OperatorCommands;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP API and the dashboard. Every route is declared once in {@link #routes()}, with the role
 * it needs and a one-line summary; the same table registers the handlers, checks tokens and
 * writes the OpenAPI description, so the three cannot drift apart. Reads come from the store;
 * creating and starting campaigns goes to the {@link CampaignControl}; steering goes through the
 * store's operator inbox and waits for the orchestrator's answer.
 */
public final class ApiServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ApiServer.class);
  static final ObjectMapper JSON = new ObjectMapper();
  private static final String TOKEN_ATTRIBUTE = "ionloop.token";
  /** The largest request body accepted (a campaign file is at most {@value}; see SpecDocument). */
  static final long MAX_BODY_BYTES = org.ionloop.spec.SpecDocument.MAX_BYTES;

  /** Where to listen and how long a steering request waits for the orchestrator's answer. */
  public record Settings(String host, int port, Duration steerWait) {}

  /** One API route: what it needs, what it is for, what answers it. */
  record Route(HandlerType method, String path, Role role, String summary, Handler handler) {}

  private final CampaignRepository repo;
  private final CampaignViews views;
  private final ApiTokens tokens;
  private final OperatorCommands inbox;
  private final CampaignControl control;
  private final LabView labView;
  private final LabStream labStream;
  private final Settings settings;
  private final Javalin app;

  private ApiServer(Settings settings, CampaignRepository repo, ApiTokens tokens, CampaignControl control) {
    this.settings = settings;
    this.repo = repo;
    this.views = new CampaignViews(repo);
    this.tokens = tokens;
    this.inbox = repo.operatorCommands();
    this.control = control;
    this.labView = new LabView(repo, control);
    this.labStream = new LabStream(labView::now, Duration.ofMillis(500));
    this.app = Javalin.create(config -> {
      config.startup.showJavalinBanner = false;
      config.jsonMapper(new JavalinJackson(JSON, false));
      config.staticFiles.add("/dashboard", Location.CLASSPATH);
      config.staticFiles.enableWebjars();
      config.http.maxRequestSize = MAX_BODY_BYTES;
      config.http.prefer405over404 = true;
      // Jetty keeps a per-connection cache of header fields it has seen. By default the cache is
      // looked up ignoring case, so on a keep-alive connection "Authorization: Bearer ILT_…"
      // after "Authorization: Bearer ilt_…" came back as the cached, correctly-cased field and
      // the case-changed token was accepted. The cache must compare values exactly.
      config.jetty.modifyHttpConfiguration(http -> {
        http.setHeaderCacheCaseSensitive(true);
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
      });
      config.jetty.modifyServer(server -> server.setErrorHandler(new JsonErrorHandler()));
      config.jetty.modifyServletContextHandler(context -> {
        context.setErrorHandler(new JsonErrorHandler());
        context.addFilter(new FilterHolder(new HttpHardening()), "/*", EnumSet.of(DispatcherType.REQUEST));
      });
      config.routes.beforeMatched(this::authorise);
      for (Route r : routes()) {
        config.routes.addHttpHandler(r.method(), r.path(), r.handler(),
            r.role() == null ? new RouteRole[0] : new RouteRole[] {r.role()});
      }
      config.routes.exception(ApiError.class, (e, ctx) -> error(ctx, e.status(), e.code(), e.getMessage()));
      // Line, field and problem as their own fields, so a client can name its own copy of the file.
      config.routes.exception(SpecException.class, (e, ctx) -> ctx.status(400).json(JSON.createObjectNode()
          .put("code", "invalid_spec").put("message", e.withoutPath()).put("line", e.line())
          .put("field", e.field()).put("problem", e.problem())));
      config.routes.exception(HttpResponseException.class, (e, ctx) ->
          error(ctx, e.getStatus(), ApiError.codeFor(e.getStatus()), e.getMessage()));
      config.routes.exception(Exception.class, (e, ctx) -> {
        // The cause goes to the server log only: database errors and stack traces name tables,
        // queries and files that a client has no business seeing.
        String reference = Long.toHexString(System.nanoTime());
        log.error("{} {} failed (reference {})", ctx.method(), ctx.path(), reference, e);
        error(ctx, 500, "internal", "the server failed on this request; the operator finds the cause in"
            + " its log under reference " + reference);
      });
      config.routes.error(404, ctx -> {
        // Javalin's own 404 is plain text; a client gets the JSON error every route answers with.
        if (!String.valueOf(ctx.res().getContentType()).startsWith("application/json")) {
          error(ctx, 404, "not_found", "no route " + ctx.method().name() + " " + ctx.path());
        }
      });
    });
  }

  /** Starts the server (port 0: any free port, see {@link #port()}). */
  public static ApiServer start(Settings settings, CampaignRepository repo, ApiTokens tokens,
      CampaignControl control) {
    ApiServer server = new ApiServer(settings, repo, tokens, control);
    server.app.start(settings.host(), settings.port());
    return server;
  }

  /** The port it listens on (useful when started on port 0). */
  public int port() {
    return app.port();
  }

  /** The base URL, e.g. http://127.0.0.1:8080. */
  public String url() {
    return "http://" + (settings.host().contains(":") ? "[" + settings.host() + "]" : settings.host()) + ":" + port();
  }

  @Override
  public void close() {
    labStream.close();
    app.stop();
  }

  /** The route table: handlers, roles and the OpenAPI description all come from here. */
  List<Route> routes() {
    return List.of(
        new Route(HandlerType.GET, "/api/health", null, "Liveness: 200 when the server answers.",
            ctx -> ctx.json(JSON.createObjectNode().put("status", "ok"))),
        new Route(HandlerType.GET, "/api/openapi.json", null, "This API's OpenAPI 3 description.",
            ctx -> ctx.json(OpenApiDocument.of(routes()))),
        new Route(HandlerType.GET, "/api/whoami", Role.VIEWER, "The token's name and role.",
            ctx -> {
              ApiTokens.TokenRow t = ctx.attribute(TOKEN_ATTRIBUTE);
              ctx.json(JSON.createObjectNode().put("name", t.name()).put("role", t.role()));
            }),
        new Route(HandlerType.GET, "/api/campaigns", Role.VIEWER, "All campaigns, newest first.",
            ctx -> ctx.json(views.campaigns())),
        new Route(HandlerType.POST, "/api/campaigns", Role.OPERATOR,
            "Create a campaign from a campaign file (YAML body, or JSON {\"spec\": yaml}); ?start=true starts it,"
                + " ?queue=true queues it.",
            this::createCampaign),
        new Route(HandlerType.GET, "/api/campaigns/{id}", Role.VIEWER,
            "A campaign: state, budget, progress, Pareto front and hypervolume so far.",
            ctx -> ctx.json(campaign(ctx))),
        new Route(HandlerType.POST, "/api/campaigns/{id}/start", Role.OPERATOR, "Start a planned campaign.",
            this::startCampaign),
        steer("pause", "Pause: no new experiments; running ones halt at their next step boundary."),
        steer("resume", "Resume a paused campaign."),
        steer("stop", "Stop: running experiments finish, no new ones start."),
        steer("abort", "Abort: furnaces stop, running experiments fail; a reason is required."),
        new Route(HandlerType.POST, "/api/campaigns/{id}/experiments/{experiment}/steps/{step}/approve",
            Role.OPERATOR, "Approve the approval gate before a step.", ctx -> gate(ctx, "approve")),
        new Route(HandlerType.POST, "/api/campaigns/{id}/experiments/{experiment}/steps/{step}/reject",
            Role.OPERATOR, "Reject an approval gate (reason required): the experiment fails.",
            ctx -> gate(ctx, "reject")),
        new Route(HandlerType.POST, "/api/campaigns/{id}/stations/{station}/release", Role.OPERATOR,
            "Return a station out of service (reason required) once it has been inspected.", this::releaseStation),
        new Route(HandlerType.GET, "/api/campaigns/{id}/experiments", Role.VIEWER,
            "Experiments in order: design, decision, result.",
            ctx -> ctx.json(views.experiments(campaignId(ctx)))),
        new Route(HandlerType.GET, "/api/campaigns/{id}/experiments/{experiment}", Role.VIEWER,
            "One experiment with its steps, fits and Arrhenius data.",
            ctx -> ctx.json(experiment(ctx))),
        new Route(HandlerType.GET, "/api/campaigns/{id}/experiments/{experiment}/steps", Role.VIEWER,
            "The commands the protocol sent and the instruments' replies.",
            ctx -> ctx.json(views.steps(experimentId(ctx)))),
        new Route(HandlerType.GET, "/api/campaigns/{id}/experiments/{experiment}/measurements", Role.VIEWER,
            "Equivalent-circuit fits, one per temperature.",
            ctx -> ctx.json(views.measurements(experimentId(ctx)))),
        new Route(HandlerType.GET, "/api/campaigns/{id}/experiments/{experiment}/spectra", Role.VIEWER,
            "Raw impedance spectra [f, Z', Z''] with the fitted circuit's curve.",
            ctx -> ctx.json(views.spectra(experimentId(ctx)))),
        new Route(HandlerType.GET, "/api/campaigns/{id}/experiments/{experiment}/bundle.zip", Role.VIEWER,
            "The experiment as a ZIP: spectra per temperature (CSV), fits with errors, sigma(T), Arrhenius.",
            this::bundle),
        new Route(HandlerType.GET, "/api/campaigns/{id}/measurements.csv", Role.VIEWER,
            "Every measurement in long form: experiment, quantity, temperature, value, std_err, unit.",
            this::tidyCsv),
        new Route(HandlerType.GET, "/api/campaigns/{id}/events", Role.VIEWER,
            "The campaign's event log (?after=SEQ&limit=N).", this::events),
        new Route(HandlerType.GET, "/api/campaigns/{id}/decisions", Role.VIEWER,
            "Why each candidate was chosen: method, acquisition value, model version.",
            ctx -> ctx.json(views.decisions(campaignId(ctx)))),
        new Route(HandlerType.GET, "/api/campaigns/{id}/export.json", Role.VIEWER,
            "The whole campaign as one JSON document.", this::exportJson),
        new Route(HandlerType.GET, "/api/campaigns/{id}/export.csv", Role.VIEWER,
            "One row per experiment: design, state, result, decision.", this::exportCsv),
        new Route(HandlerType.GET, "/api/queue", Role.VIEWER,
            "Campaigns waiting for the lab, in the order they start: position, campaign_id, name, queued_at, queued_by.",
            ctx -> ctx.json(queueJson(new org.ionloop.store.CampaignQueue(repo.dataSource()).entries()))),
        new Route(HandlerType.POST, "/api/queue", Role.OPERATOR,
            "Queue a PLANNED campaign: JSON {\"campaign_id\", \"front\": false}; it starts when the lab is free.",
            ctx -> queueChange(ctx, () -> control.enqueue(requiredField(ctx, "campaign_id"),
                "true".equals(bodyField(ctx, "front")), issuer(ctx)))),
        new Route(HandlerType.POST, "/api/queue/{id}/move", Role.OPERATOR,
            "Move a queued campaign: JSON {\"position\": N} (0: next).",
            ctx -> queueChange(ctx, () -> control.moveInQueue(campaignIdParam(ctx), position(ctx)))),
        new Route(HandlerType.DELETE, "/api/queue/{id}", Role.OPERATOR,
            "Take a campaign out of the queue (it stays PLANNED).",
            ctx -> queueChange(ctx, () -> control.dequeue(campaignIdParam(ctx)))),
        new Route(HandlerType.GET, "/api/lab", Role.VIEWER,
            "The lab now: per instrument its state (where this server drives it), command, experiment and"
                + " campaign, out-of-service reason and the samples in it; per running experiment its"
                + " sample's place and transfers.",
            ctx -> ctx.json(labView.now().put("as_of", java.time.Instant.now().toString()))),
        new Route(HandlerType.GET, "/api/lab/stream", Role.VIEWER,
            "The lab view as server-sent events (event: lab), sent when it changes.",
            new io.javalin.http.sse.SseHandler(labStream::join)),
        new Route(HandlerType.GET, "/api/models", Role.VIEWER, "Proposer model versions.",
            ctx -> ctx.json(views.models())),
        new Route(HandlerType.GET, "/api/tokens", Role.ADMIN, "API tokens (never their secrets).",
            ctx -> ctx.json(tokens.all().stream().map(ApiServer::tokenJson).toList())),
        new Route(HandlerType.POST, "/api/tokens", Role.ADMIN,
            "Make a token: JSON {\"name\", \"role\"}; the secret is in this answer only.", this::createToken),
        new Route(HandlerType.DELETE, "/api/tokens/{tokenId}", Role.ADMIN, "Revoke a token.", this::revokeToken));
  }

  private Route steer(String kind, String summary) {
    return new Route(HandlerType.POST, "/api/campaigns/{id}/" + kind, Role.OPERATOR, summary, ctx -> {
      String reason = bodyField(ctx, "reason");
      if (kind.equals("abort") && (reason == null || reason.isBlank())) {
        throw ApiError.badRequest("abort needs a reason: JSON {\"reason\": \"…\"}");
      }
      String id = steerable(ctx);
      if (kind.equals("stop") && reason == null) {
        reason = "operator request";
      }
      answer(ctx, inbox.issue(id, kind, null, null, reason, issuer(ctx)));
    });
  }

  private void gate(Context ctx, String kind) throws InterruptedException {
    String reason = bodyField(ctx, "reason");
    if (kind.equals("reject") && (reason == null || reason.isBlank())) {
      throw ApiError.badRequest("reject needs a reason: JSON {\"reason\": \"…\"}");
    }
    String id = steerable(ctx);
    String experimentId = experimentId(ctx);
    answer(ctx, inbox.issue(id, kind, experimentId, ctx.pathParam("step"), reason, issuer(ctx)));
  }

  private void releaseStation(Context ctx) throws InterruptedException {
    String reason = bodyField(ctx, "reason");
    if (reason == null || reason.isBlank()) {
      throw ApiError.badRequest("release needs a reason: JSON {\"reason\": \"…\"} (what was inspected or done)");
    }
    String station = ctx.pathParam("station");
    if (station.length() > 100 || !station.matches("[A-Za-z0-9._-]+")) {
      throw ApiError.badRequest("'" + station.substring(0, Math.min(40, station.length())) + "' is not an instrument id");
    }
    String id = steerable(ctx);
    answer(ctx, inbox.issue(id, "release", null, station, reason, issuer(ctx)));
  }

  /**
   * The campaign in the path if an orchestrator may be running it; a planned or ended campaign
   * has nobody to carry out a command, so it is refused at once instead of waiting in the inbox.
   */
  private String steerable(Context ctx) {
    String id = campaignId(ctx);
    String state = views.state(id).orElseThrow();
    if (state.equals("PLANNED") || CampaignHistory.ENDED_STATES.contains(state)) {
      throw ApiError.conflict("campaign " + id + " is " + state + ": nothing runs it to steer"
          + (state.equals("PLANNED") ? " (start it first)" : ""));
    }
    return id;
  }

  /** Waits for the orchestrator to carry out an operator command; 200, 409 (refused) or 202. */
  private void answer(Context ctx, long commandId) throws InterruptedException {
    long until = System.nanoTime() + settings.steerWait().toNanos();
    OperatorCommands.OperatorCommand c = inbox.find(commandId).orElseThrow();
    while (c.handledAt() == null && System.nanoTime() < until) {
      Thread.sleep(100);
      c = inbox.find(commandId).orElseThrow();
    }
    ObjectNode body = JSON.createObjectNode().put("command", commandId).put("kind", c.kind());
    if (c.handledAt() == null) {
      ctx.status(202).json(body.put("status", "filed").put("message", "no orchestrator has taken it within "
          + settings.steerWait().toSeconds() + " s; it stays in the inbox until the campaign's orchestrator runs"));
    } else if ("ok".equals(c.outcome())) {
      ctx.json(body.put("status", "done"));
    } else {
      throw ApiError.conflict(c.kind() + " refused: " + c.outcome());
    }
  }

  private void createCampaign(Context ctx) throws InterruptedException {
    String yaml;
    if (ctx.contentType() != null && ctx.contentType().startsWith("application/json")) {
      yaml = bodyField(ctx, "spec");
      if (yaml == null) {
        throw ApiError.badRequest("JSON body needs a field 'spec' holding the campaign file's text");
      }
    } else {
      yaml = ctx.body();
    }
    if (yaml.isBlank()) {
      throw ApiError.badRequest("empty body: send a campaign file (YAML)");
    }
    String id;
    try {
      id = control.create(yaml);
    } catch (IllegalStateException e) {
      throw ApiError.conflict(e.getMessage());
    }
    if ("true".equals(ctx.queryParam("start"))) {
      startOrConflict(id);
    } else if ("true".equals(ctx.queryParam("queue"))) {
      // In the queue: it starts at once on a free lab, after the others on a busy one.
      control.enqueue(id, false, issuer(ctx));
    }
    ctx.status(201).json(campaignOrThrow(id));
  }

  private void startCampaign(Context ctx) throws InterruptedException {
    String id = campaignId(ctx);
    startOrConflict(id);
    ctx.json(campaignOrThrow(id));
  }

  private void startOrConflict(String id) throws InterruptedException {
    try {
      control.start(id);
      // The campaign records RUNNING as its first act; answer once it has, so the reply says so.
      long until = System.nanoTime() + 10_000_000_000L;
      while (views.state(id).orElseThrow().equals("PLANNED") && System.nanoTime() < until) {
        Thread.sleep(50);
      }
    } catch (IllegalStateException e) {
      throw ApiError.conflict(e.getMessage());
    } catch (NoSuchElementException e) {
      throw ApiError.notFound(e.getMessage());
    }
  }

  private void events(Context ctx) {
    String id = campaignId(ctx);
    long after = longParam(ctx, "after", 0);
    int limit = (int) Math.min(longParam(ctx, "limit", 10_000), 100_000);
    ctx.json(views.events(id, after, limit));
  }

  private void exportJson(Context ctx) {
    ObjectNode c = campaign(ctx);
    String id = c.get("id").asText();
    ObjectNode doc = JSON.createObjectNode();
    doc.set("campaign", c);
    doc.put("spec_yaml", views.specYaml(id).orElse(""));
    ArrayNode experiments = doc.putArray("experiments");
    for (ObjectNode full : views.detailedExperiments(id)) {
      // The raw spectra are linked, not inlined: a campaign's export stays readable.
      String base = "/api/campaigns/" + id + "/experiments/" + full.get("id").asText();
      full.put("spectra_url", base + "/spectra").put("bundle_url", base + "/bundle.zip");
      experiments.add(full);
    }
    doc.set("decisions", views.decisions(id));
    doc.set("events", views.events(id, 0, Integer.MAX_VALUE));
    ctx.header("Content-Disposition", "attachment; filename=\"" + id + ".json\"");
    ctx.json(doc);
  }

  private void bundle(Context ctx) {
    String campaignId = campaignId(ctx);
    String experimentId = experimentId(ctx);
    byte[] zip = ExperimentBundle.of(views.experiment(campaignId, experimentId).orElseThrow(),
        views.spectra(experimentId));
    ctx.header("Content-Disposition", "attachment; filename=\"" + experimentId + ".zip\"");
    ctx.contentType("application/zip").result(zip);
  }

  private void tidyCsv(Context ctx) {
    ObjectNode c = campaign(ctx);
    String id = c.get("id").asText();
    ctx.header("Content-Disposition", "attachment; filename=\"" + id + "-measurements.csv\"");
    ctx.contentType("text/csv; charset=utf-8").result(TidyCsv.of(c.path("objectives"), views.detailedExperiments(id)));
  }

  private void exportCsv(Context ctx) {
    String id = campaignId(ctx);
    ctx.header("Content-Disposition", "attachment; filename=\"" + id + ".csv\"");
    ctx.contentType("text/csv; charset=utf-8").result(CampaignCsv.of(views.objectiveNames(id), views.experiments(id)));
  }

  private void createToken(Context ctx) {
    String name = bodyField(ctx, "name");
    String role = bodyField(ctx, "role");
    if (name == null || role == null) {
      throw ApiError.badRequest("JSON body needs 'name' and 'role' (" + String.join(", ", ApiTokens.ROLES) + ")");
    }
    try {
      ApiTokens.NewToken t = tokens.create(name, role);
      ctx.status(201).json(tokenJson(t.row()).put("token", t.secret()));
    } catch (IllegalArgumentException e) {
      throw ApiError.badRequest(e.getMessage());
    }
  }

  private void revokeToken(Context ctx) {
    long id = longPath(ctx, "tokenId");
    if (!tokens.revoke(id)) {
      throw ApiError.notFound("no live token " + id);
    }
    ctx.status(204);
  }

  private static ObjectNode tokenJson(ApiTokens.TokenRow t) {
    ObjectNode n = JSON.createObjectNode().put("id", t.id()).put("name", t.name()).put("role", t.role())
        .put("created_at", t.createdAt().toString());
    n.put("revoked_at", t.revokedAt() == null ? null : t.revokedAt().toString());
    return n;
  }

  /**
   * Checks the bearer token against the route's role: no or unknown token → 401, a role too weak
   * → 403. Routes without a role (health, OpenAPI, dashboard files) are open.
   */
  private void authorise(Context ctx) {
    Set<RouteRole> roles = ctx.routeRoles();
    if (roles.isEmpty()) {
      return;
    }
    Role required = (Role) roles.iterator().next();
    String header = ctx.header("Authorization");
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      ctx.header("WWW-Authenticate", "Bearer");
      throw new ApiError(401, "unauthorized", "send a token: Authorization: Bearer <token> (ionloop token create)");
    }
    Optional<ApiTokens.TokenRow> token = tokens.authenticate(header.substring(7).trim());
    if (token.isEmpty()) {
      ctx.header("WWW-Authenticate", "Bearer error=\"invalid_token\"");
      throw new ApiError(401, "unauthorized", "unknown or revoked token");
    }
    if (!Role.of(token.get().role()).covers(required)) {
      throw new ApiError(403, "forbidden", "this needs the " + required.label() + " role; token '"
          + token.get().name() + "' is " + token.get().role());
    }
    ctx.attribute(TOKEN_ATTRIBUTE, token.get());
  }

  private ObjectNode campaign(Context ctx) {
    return campaignOrThrow(ctx.pathParam("id"));
  }

  private ObjectNode campaignOrThrow(String id) {
    return views.campaign(id).orElseThrow(() -> noCampaign(id));
  }

  /**
   * The campaign id in the path, checked to exist with one indexed read: routes below a campaign
   * need only its id, not its whole view (progress, front, hypervolume).
   */
  private String campaignId(Context ctx) {
    String id = ctx.pathParam("id");
    views.state(id).orElseThrow(() -> noCampaign(id));
    return id;
  }

  private static ApiError noCampaign(String id) {
    return ApiError.notFound("no campaign '" + id + "'");
  }

  /** The experiment in the path (full id, or its short form e003 within the campaign), checked to exist. */
  private String experimentId(Context ctx) {
    String campaignId = campaignId(ctx);
    String e = ctx.pathParam("experiment");
    String full = e.startsWith(campaignId) ? e : campaignId + "-" + e;
    if (!views.hasExperiment(campaignId, full)) {
      throw ApiError.notFound("no experiment '" + e + "' in campaign " + campaignId);
    }
    return full;
  }

  /** The experiment in the path with its steps, fits and Arrhenius data. */
  private ObjectNode experiment(Context ctx) {
    String id = experimentId(ctx);
    return views.experiment(ctx.pathParam("id"), id).orElseThrow();
  }

  private static String issuer(Context ctx) {
    ApiTokens.TokenRow t = ctx.attribute(TOKEN_ATTRIBUTE);
    return "api:" + t.name();
  }

  /** Answers a queue change with the queue as it is after it; its refusals as 404/409. */
  private static void queueChange(Context ctx,
      java.util.function.Supplier<List<org.ionloop.store.CampaignQueue.Entry>> change) {
    try {
      ctx.json(queueJson(change.get()));
    } catch (NoSuchElementException e) {
      throw ApiError.notFound(e.getMessage());
    } catch (IllegalStateException e) {
      throw ApiError.conflict(e.getMessage());
    } catch (IllegalArgumentException e) {
      throw ApiError.badRequest(e.getMessage());
    }
  }

  private static com.fasterxml.jackson.databind.node.ArrayNode queueJson(
      List<org.ionloop.store.CampaignQueue.Entry> entries) {
    var out = JSON.createArrayNode();
    for (var e : entries) {
      out.addObject().put("position", e.position()).put("campaign_id", e.campaignId()).put("name", e.name())
          .put("queued_at", e.queuedAt().toString()).put("queued_by", e.queuedBy());
    }
    return out;
  }

  /** The {id} path parameter as given (the queue names campaigns the store may not have). */
  private static String campaignIdParam(Context ctx) {
    return ctx.pathParam("id");
  }

  private static String requiredField(Context ctx, String field) {
    String v = bodyField(ctx, field);
    if (v == null || v.isBlank()) {
      throw ApiError.badRequest("field '" + field + "' is required: JSON {\"" + field + "\": …}");
    }
    return v;
  }

  private static int position(Context ctx) {
    String v = requiredField(ctx, "position");
    try {
      return Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      throw ApiError.badRequest("field 'position' must be a whole number ≥ 0 (0: next), got '" + v + "'");
    }
  }

  /** A text field of a JSON body; null when there is no body or no such field. */
  private static String bodyField(Context ctx, String field) {
    String body = ctx.body();
    if (body.isBlank()) {
      return null;
    }
    JsonNode n;
    try {
      n = JSON.readTree(body);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw ApiError.badRequest("body is not valid JSON: " + e.getOriginalMessage());
    }
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }

  private static long longParam(Context ctx, String name, long dflt) {
    String v = ctx.queryParam(name);
    try {
      return v == null ? dflt : Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw ApiError.badRequest("query parameter '" + name + "' must be an integer, got '" + v + "'");
    }
  }

  private static long longPath(Context ctx, String name) {
    try {
      return Long.parseLong(ctx.pathParam(name));
    } catch (NumberFormatException e) {
      throw ApiError.badRequest("'" + name + "' must be an integer, got '" + ctx.pathParam(name) + "'");
    }
  }

  private static void error(Context ctx, int status, String code, String message) {
    ctx.status(status).json(JSON.createObjectNode().put("code", code).put("message", message));
  }
}
