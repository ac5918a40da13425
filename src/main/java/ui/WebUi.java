package ui;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import config.Datasets;
import config.PipelineConfig;
import config.UiConfig;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.StartupListener;
import org.apache.camel.component.platform.http.main.ManagementHttpServer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.apache.camel.support.service.ServiceSupport;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import routes.TriggerRoutes;
import run.FailedInputs;
import run.FailedInputs.FailedInput;
import run.PipelineRun;
import run.RunHistory;
import run.RunHistory.Entry;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import ui.LiveRuns.LiveRun;

/**
 * The web UI: pages of runs and datasets and their JSON API, served by the management server's own Vert.x router
 * (same host and port as {@code /observe/health}), a stream of server-sent events that tells open pages when runs
 * moved, and two guarded actions (retry a failed input, poll a source now), POSTs that carry the page's CSRF token.
 * With {@code pipeline.ui.token} set, every request must carry it. As a start-up step it begins reading the run
 * reports on a thread of its own; its routes are added once the management server listens.
 */
public final class WebUi extends ServiceSupport implements StartupListener {

    private static final Logger LOG = LoggerFactory.getLogger(WebUi.class);
    private static final String HTML = "text/html; charset=utf-8";
    private static final String JSON = "application/json";
    /** Every page's only script, style and connections are the app's own; no frame may hold it. */
    private static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self';"
            + " img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
    private static final int RESULT_ROWS = 20;
    private static final long EVENT_INTERVAL_MS = 1000;
    private static final long HEARTBEAT_MS = 15_000;

    private final CamelContext context;
    private final UiConfig config;
    private final Path dataDir;
    private final RunIndex index;
    private final DatasetViews views;
    private final String csrf = randomToken();
    private final Pages pages = new Pages(csrf);
    private final Set<HttpServerResponse> listeners = ConcurrentHashMap.newKeySet();
    private LiveRuns live;
    private ProducerTemplate producer;
    private Vertx vertx;
    private long eventTimer = -1;
    private volatile String lastState = "";
    private volatile long lastSent;
    private final Map<String, byte[]> assets = new ConcurrentHashMap<>();

    public WebUi(CamelContext context, Datasets datasets, UiConfig config, Path dataDir) {
        this.context = context;
        this.config = config;
        this.dataDir = dataDir;
        this.index = new RunIndex(dataDir);
        this.views = new DatasetViews(datasets);
    }

    /** Told of every run once its report is written. */
    public void runFinished(PipelineRun run) {
        index.finished(run);
        views.runFinished(run);
    }

    @Override
    protected void doStart() throws Exception {
        live = new LiveRuns(context);
        Thread reading = new Thread(index::load, "web-ui-index");
        reading.setDaemon(true);
        reading.start();
        context.addStartupListener(this);
    }

    @Override
    public void onCamelContextStarted(CamelContext started, boolean alreadyStarted) {
        // the routes go on the management server once everything, that server too, has started
    }

    @Override
    public void onCamelContextFullyStarted(CamelContext started, boolean alreadyStarted) throws IOException {
        ManagementHttpServer management = context.hasService(ManagementHttpServer.class);
        if (management == null || management.getRouter() == null) {
            LOG.warn("The web UI is not served: the management server is not running (camel.management.enabled)");
            return;
        }
        for (String asset : List.of("app.css", "app.js")) {
            try (InputStream in = WebUi.class.getResourceAsStream("/ui/" + asset)) {
                assets.put(asset, in.readAllBytes());
            }
        }
        producer = context.createProducerTemplate();
        VertxPlatformHttpRouter router = management.getRouter();
        vertx = router.vertx();
        mount(router);
        eventTimer = vertx.setPeriodic(EVENT_INTERVAL_MS, id -> tellListeners());
        LOG.info("Web UI of runs and datasets on the management server{}", config.token().isPresent()
                ? ", every request carrying pipeline.ui.token" : "");
    }

    @Override
    protected void doStop() throws Exception {
        if (vertx != null && eventTimer >= 0) {
            vertx.cancelTimer(eventTimer);
        }
        for (HttpServerResponse response : listeners) {
            try {
                response.end();
            } catch (RuntimeException e) {
                // closed already
            }
        }
        listeners.clear();
        if (producer != null) {
            producer.stop();
        }
    }

    private void mount(Router router) {
        router.get("/ui/app.css").handler(this::authorized).handler(ctx -> asset(ctx, "app.css", "text/css"));
        router.get("/ui/app.js").handler(this::authorized).handler(ctx -> asset(ctx, "app.js",
                "text/javascript"));
        page(router, "/", this::runsPage);
        router.get("/runs").handler(this::authorized).handler(ctx -> redirect(ctx, "/"));
        page(router, "/runs/:id", this::runPage);
        page(router, "/runs/:id/rejects.csv", this::rejects);
        page(router, "/runs/:id/results.csv", this::results);
        page(router, "/datasets", this::datasetsPage);
        page(router, "/datasets/:name", this::datasetPage);
        action(router, "/datasets/:name/poll", this::pollNow);
        action(router, "/datasets/:name/retry", this::retry);
        page(router, "/api/runs", this::apiRuns);
        page(router, "/api/runs/:id", this::apiRun);
        page(router, "/api/datasets", this::apiDatasets);
        page(router, "/api/datasets/:name", this::apiDataset);
        router.get("/api/events").handler(this::authorized).handler(this::events);
    }

    private void page(Router router, String path, Handler<RoutingContext> handler) {
        router.get(path).handler(this::authorized).blockingHandler(guarded(handler), false);
    }

    private void action(Router router, String path, Handler<RoutingContext> handler) {
        // Vert.x wants the body read first, before any handler of the route's own
        router.post(path).handler(BodyHandler.create(false).setBodyLimit(16 * 1024)).handler(this::authorized)
                .handler(this::sameOriginWithToken).blockingHandler(guarded(handler), false);
    }

    /** A page that fails answers 500 with why, in the log and on the page, masked as every message is. */
    private Handler<RoutingContext> guarded(Handler<RoutingContext> handler) {
        return ctx -> {
            try {
                handler.handle(ctx);
            } catch (RuntimeException e) {
                LOG.warn("The web UI could not answer {}: {}", ctx.request().path(), e.getMessage(), e);
                send(ctx, 500, HTML, pages.message("Something went wrong", core.Secrets.text(
                        String.valueOf(e.getMessage()))));
            }
        };
    }

    // ---- access ---------------------------------------------------------------------------------------------------

    /** With {@code pipeline.ui.token}: a bearer token, or HTTP basic whose password is the token. */
    private void authorized(RoutingContext ctx) {
        if (config.token().isEmpty() || carriesToken(ctx.request().getHeader("Authorization"),
                config.token().get())) {
            ctx.next();
            return;
        }
        ctx.response().putHeader("WWW-Authenticate", "Basic realm=\"s3tables-pipeline\", charset=\"UTF-8\"");
        send(ctx, 401, "text/plain; charset=utf-8", "This page needs the token of pipeline.ui.token: as"
                + " 'Authorization: Bearer <token>', or as the password of HTTP basic (any user name).\n");
    }

    static boolean carriesToken(String authorization, String token) {
        if (authorization == null) {
            return false;
        }
        String given = null;
        if (authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            given = authorization.substring(7).trim();
        } else if (authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            try {
                String pair = new String(Base64.getDecoder().decode(authorization.substring(6).trim()),
                        StandardCharsets.UTF_8);
                int colon = pair.indexOf(':');
                given = colon < 0 ? null : pair.substring(colon + 1);
            } catch (IllegalArgumentException e) {
                return false;
            }
        }
        return given != null && MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8),
                token.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A POST must carry the CSRF token of the pages (form field {@code csrf} or header {@code X-CSRF-Token}), and,
     * if the browser says where it comes from, come from a page of this server.
     */
    private void sameOriginWithToken(RoutingContext ctx) {
        String given = Optional.ofNullable(ctx.request().getFormAttribute("csrf"))
                .orElse(ctx.request().getHeader("X-CSRF-Token"));
        String origin = ctx.request().getHeader("Origin");
        String host = ctx.request().getHeader("Host");
        boolean sameOrigin = origin == null
                || host != null && (origin.equals("http://" + host) || origin.equals("https://" + host));
        if (given == null || !MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8),
                csrf.getBytes(StandardCharsets.UTF_8)) || !sameOrigin) {
            LOG.warn("The web UI refused a POST to {}: {}", ctx.request().path(), given == null
                    ? "no CSRF token" : sameOrigin ? "a wrong CSRF token" : "from another origin, " + origin);
            send(ctx, 403, HTML, pages.message("Refused", "This action needs the CSRF token of the page it was sent"
                    + " from: reload the page and try again."));
            return;
        }
        ctx.next();
    }

    // ---- pages ----------------------------------------------------------------------------------------------------

    private void runsPage(RoutingContext ctx) {
        String dataset = knownDataset(ctx.queryParams().get("dataset"));
        String status = Optional.ofNullable(ctx.queryParams().get("status"))
                .filter(s -> List.of("RUNNING", "SUCCEEDED", "FAILED", "SKIPPED").contains(s)).orElse(null);
        int page = number(ctx.queryParams().get("page"), 0, 1_000_000, 0);
        Pages.RunsQuery query = new Pages.RunsQuery(dataset, status, page);
        RunIndex.Page runs = index.page(filter(dataset, status), page * Pages.PAGE_SIZE, Pages.PAGE_SIZE);
        List<LiveRun> now = live.now();
        if ("runs".equals(ctx.queryParams().get("fragment"))) {
            send(ctx, 200, HTML, pages.runsFragment(query, runs, now, index));
            return;
        }
        send(ctx, 200, HTML, pages.runs(query, runs, now, datasetNames(), index, notice(ctx)));
    }

    private void runPage(RoutingContext ctx) {
        String runId = ctx.pathParam("id");
        Optional<LiveRun> running = live.now().stream().filter(l -> l.run().getRunId().equals(runId)).findFirst();
        JsonNode report = running.isPresent() ? null : report(runId).orElse(null);
        if (report == null && running.isEmpty()) {
            send(ctx, 404, HTML, pages.message("No such run", "There is no run " + runId + " in "
                    + core.DataDirLayout.runs(dataDir) + "."));
            return;
        }
        Optional<FailedInput> retry = report == null ? Optional.empty() : retryOf(report);
        List<List<String>> results = report == null ? List.of() : resultsPreview(report);
        if ("run".equals(ctx.queryParams().get("fragment"))) {
            send(ctx, 200, HTML, pages.runFragment(runId, report, running.orElse(null), retry, results));
            return;
        }
        send(ctx, 200, HTML, pages.run(runId, report, running.orElse(null), retry, results, notice(ctx)));
    }

    private void datasetsPage(RoutingContext ctx) {
        send(ctx, 200, HTML, pages.datasets(views.all().stream().map(DatasetViews::facts).toList(), lastRuns()));
    }

    private void datasetPage(RoutingContext ctx) {
        Optional<PipelineConfig> dataset = views.find(ctx.pathParam("name"));
        if (dataset.isEmpty()) {
            send(ctx, 404, HTML, pages.message("No such dataset", "This app serves the datasets "
                    + String.join(", ", datasetNames()) + "."));
            return;
        }
        PipelineConfig config = dataset.get();
        List<Entry> runs = new ArrayList<>(index.page(filter(config.dataset(), null), 0, 60).runs());
        Collections.reverse(runs);
        DatasetViews.Facts facts = DatasetViews.facts(config);
        if ("dataset".equals(ctx.queryParams().get("fragment"))) {
            send(ctx, 200, HTML, pages.datasetFragment(facts, views.table(config), views.failedInputs(config), runs));
            return;
        }
        send(ctx, 200, HTML, pages.dataset(facts, views.table(config), views.failedInputs(config), runs,
                notice(ctx)));
    }

    private void rejects(RoutingContext ctx) {
        Optional<JsonNode> report = report(ctx.pathParam("id"));
        String uri = report.map(r -> r.path("rejectsUri").asText(null)).orElse(null);
        S3Client s3 = context.getRegistry().lookupByNameAndType("s3Client", S3Client.class);
        if (uri == null || !uri.startsWith("s3://") || s3 == null) {
            send(ctx, 404, HTML, pages.message("No rejects file", "This run rejected no rows."));
            return;
        }
        String location = uri.substring("s3://".length());
        int slash = location.indexOf('/');
        ResponseBytes<GetObjectResponse> object = s3.getObjectAsBytes(b -> b.bucket(location.substring(0, slash))
                .key(location.substring(slash + 1)));
        ctx.response().putHeader("Content-Disposition", "attachment; filename=\"" + ctx.pathParam("id")
                + "-rejects.csv\"");
        send(ctx, 200, "text/csv; charset=utf-8", object.asByteArray());
    }

    private void results(RoutingContext ctx) {
        Optional<Path> file = report(ctx.pathParam("id")).flatMap(this::resultsFile);
        if (file.isEmpty()) {
            send(ctx, 404, HTML, pages.message("No results file", "This run's answer was not kept"
                    + " (pipeline.query.resultsDir), or has been removed since (pipeline.query.keepResults)."));
            return;
        }
        headers(ctx.response(), "text/csv; charset=utf-8");
        ctx.response().putHeader("Content-Disposition", "attachment; filename=\"" + ctx.pathParam("id") + ".csv\"");
        ctx.response().sendFile(file.get().toString());
    }

    // ---- actions --------------------------------------------------------------------------------------------------

    /** Polls the dataset's source now, as a tick of its timer does; one poll at a time. */
    private void pollNow(RoutingContext ctx) {
        Optional<PipelineConfig> dataset = views.find(ctx.pathParam("name")).filter(PipelineConfig::httpPollingEnabled);
        if (dataset.isEmpty()) {
            send(ctx, 404, HTML, pages.message("Nothing to poll", "This dataset polls no source"
                    + " (pipeline.source.url)."));
            return;
        }
        String name = dataset.get().dataset();
        if (context.getInflightRepository().size(name + "-http-poll") > 0) {
            redirect(ctx, "/datasets/" + Html.url(name) + "?done=busy");
            return;
        }
        producer.asyncSendBody(TriggerRoutes.pollEndpoint(name), null);
        LOG.info("Poll of {} asked for from the web UI", name);
        redirect(ctx, "/?dataset=" + Html.url(name) + "&done=poll");
    }

    /** Moves a failed input back into its inbox, where it is read again. */
    private void retry(RoutingContext ctx) {
        Optional<PipelineConfig> dataset = views.find(ctx.pathParam("name")).filter(PipelineConfig::inboxEnabled);
        String file = ctx.request().getFormAttribute("file");
        if (dataset.isEmpty() || file == null) {
            send(ctx, 404, HTML, pages.message("Nothing to retry", "This dataset has no inbox, or no file was named."));
            return;
        }
        String name = dataset.get().dataset();
        try {
            Path back = FailedInputs.retry(dataset.get().inbox().dir(), file);
            LOG.info("{} moved back into the inbox from the web UI, to be loaded again", back);
            redirect(ctx, "/?dataset=" + Html.url(name) + "&done=retry");
        } catch (IllegalArgumentException e) {
            send(ctx, 404, HTML, pages.message("Nothing to retry", "There is no failed input " + file + " of "
                    + name + " any more."));
        } catch (FileAlreadyExistsException e) {
            send(ctx, 409, HTML, pages.message("Not retried", "A file named " + file + " waits in the inbox"
                    + " already: its run comes first."));
        } catch (IOException e) {
            send(ctx, 500, HTML, pages.message("Not retried", "Could not move " + file + " back into the inbox: "
                    + e.getMessage()));
        }
    }

    // ---- API ------------------------------------------------------------------------------------------------------

    private void apiRuns(RoutingContext ctx) {
        String dataset = ctx.queryParams().get("dataset");
        String status = ctx.queryParams().get("status");
        int offset = number(ctx.queryParams().get("offset"), 0, Integer.MAX_VALUE, 0);
        int limit = number(ctx.queryParams().get("limit"), 1, 1000, Pages.PAGE_SIZE);
        List<LiveRun> now = live.now().stream()
                .filter(l -> dataset == null || dataset.equals(l.run().getDataset())).toList();
        send(ctx, 200, JSON, Api.runs(index.page(filter(dataset, status), offset, limit), now, offset, limit));
    }

    private void apiRun(RoutingContext ctx) {
        String runId = ctx.pathParam("id");
        Optional<LiveRun> running = live.now().stream().filter(l -> l.run().getRunId().equals(runId)).findFirst();
        if (running.isPresent()) {
            send(ctx, 200, JSON, Api.liveRun(running.get()));
            return;
        }
        Optional<JsonNode> report = report(runId);
        if (report.isEmpty()) {
            send(ctx, 404, JSON, Api.error("no run " + runId));
            return;
        }
        send(ctx, 200, JSON, Api.run(report.get()));
    }

    private void apiDatasets(RoutingContext ctx) {
        send(ctx, 200, JSON, Api.datasets(views.all().stream().map(DatasetViews::facts).toList(), lastRuns()));
    }

    private void apiDataset(RoutingContext ctx) {
        Optional<PipelineConfig> dataset = views.find(ctx.pathParam("name"));
        if (dataset.isEmpty()) {
            send(ctx, 404, JSON, Api.error("no dataset " + ctx.pathParam("name")));
            return;
        }
        send(ctx, 200, JSON, Api.dataset(DatasetViews.facts(dataset.get()), views.table(dataset.get()),
                views.failedInputs(dataset.get())));
    }

    // ---- live updates ---------------------------------------------------------------------------------------------

    /** Server-sent events: one whenever the runs moved (a run ended, one began, changed stage or parsed more). */
    private void events(RoutingContext ctx) {
        HttpServerResponse response = ctx.response();
        response.setChunked(true);
        headers(response, "text/event-stream");
        response.putHeader("Cache-Control", "no-cache");
        response.write("retry: 2000\n\ndata: " + state() + "\n\n");
        listeners.add(response);
        response.closeHandler(v -> listeners.remove(response));
        response.exceptionHandler(e -> listeners.remove(response));
    }

    private void tellListeners() {
        if (listeners.isEmpty()) {
            return;
        }
        String state = state();
        long now = System.currentTimeMillis();
        String message;
        if (!state.equals(lastState)) {
            lastState = state;
            message = "data: " + state + "\n\n";
        } else if (now - lastSent >= HEARTBEAT_MS) {
            message = ": still here\n\n";
        } else {
            return;
        }
        lastSent = now;
        for (HttpServerResponse response : listeners) {
            try {
                response.write(message);
            } catch (RuntimeException e) {
                listeners.remove(response);
            }
        }
    }

    /** What the pages show that moves: the index's revision, and each run in progress with its stage and progress. */
    private String state() {
        StringBuilder state = new StringBuilder("{\"revision\":").append(index.revision()).append(",\"live\":\"");
        for (LiveRun run : live.now()) {
            state.append(run.run().getRunId()).append(' ').append(run.stage());
            if (run.progress() != null) {
                state.append(' ').append(run.progress().bytes());
            }
            state.append(';');
        }
        return state.append("\"}").toString();
    }

    // ---- helpers --------------------------------------------------------------------------------------------------

    private Optional<JsonNode> report(String runId) {
        try {
            return RunHistory.report(dataDir, runId);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the report of run " + runId + ": " + e.getMessage(), e);
        }
    }

    /** The failed input of a failed dropped file's run, still in {@code .failed/}. */
    private Optional<FailedInput> retryOf(JsonNode report) {
        if (!"FAILED".equals(report.path("status").asText()) || !"file".equals(report.path("trigger").asText())) {
            return Optional.empty();
        }
        String runId = report.path("runId").asText();
        return views.find(report.path("dataset").asText()).filter(PipelineConfig::inboxEnabled).stream()
                .flatMap(config -> views.failedInputs(config).stream())
                .filter(input -> input.runId().equals(runId)).findFirst();
    }

    /** The run's results file, only where its dataset keeps results. */
    private Optional<Path> resultsFile(JsonNode report) {
        String file = report.path("query").path("resultsFile").asText(null);
        Optional<Path> folder = views.find(report.path("dataset").asText())
                .flatMap(config -> config.query().resultsDir());
        if (file == null || folder.isEmpty()) {
            return Optional.empty();
        }
        Path path = Path.of(file).toAbsolutePath().normalize();
        return path.startsWith(folder.get().toAbsolutePath().normalize()) && Files.isRegularFile(path)
                ? Optional.of(path) : Optional.empty();
    }

    /** The header and first rows of the run's results file. */
    private List<List<String>> resultsPreview(JsonNode report) {
        Optional<Path> file = resultsFile(report);
        if (file.isEmpty()) {
            return List.of();
        }
        List<List<String>> rows = new ArrayList<>();
        try (Reader reader = Files.newBufferedReader(file.get(), StandardCharsets.UTF_8);
             CSVParser parser = CSVFormat.RFC4180.parse(reader)) {
            for (CSVRecord record : parser) {
                rows.add(record.toList());
                if (rows.size() > RESULT_ROWS) {
                    break;
                }
            }
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
        return rows;
    }

    private Map<String, Entry> lastRuns() {
        Map<String, Entry> last = new LinkedHashMap<>();
        for (String name : datasetNames()) {
            index.page(filter(name, null), 0, 1).runs().stream().findFirst().ifPresent(run -> last.put(name, run));
        }
        return last;
    }

    private List<String> datasetNames() {
        return views.all().stream().map(PipelineConfig::dataset).toList();
    }

    private String knownDataset(String name) {
        return name != null && datasetNames().contains(name) ? name : null;
    }

    private static Predicate<Entry> filter(String dataset, String status) {
        return entry -> (dataset == null || dataset.equals(entry.dataset()))
                        && (status == null || status.equals(entry.status()));
    }

    private static String notice(RoutingContext ctx) {
        String done = ctx.queryParams().get("done");
        if (done == null) {
            return null;
        }
        return switch (done) {
            case "poll" -> "The source is being polled: a new run appears here if it serves new content.";
            case "busy" -> "A poll of this dataset is in progress: it loads what the source serves now.";
            case "retry" -> "The file is back in the inbox: its new run appears here.";
            default -> null;
        };
    }

    private static int number(String text, int min, int max, int otherwise) {
        try {
            int value = Integer.parseInt(text);
            return value < min || value > max ? otherwise : value;
        } catch (NumberFormatException e) {
            return otherwise;
        }
    }

    private void asset(RoutingContext ctx, String name, String type) {
        headers(ctx.response(), type + "; charset=utf-8");
        ctx.response().putHeader("Cache-Control", "no-cache").end(Buffer.buffer(assets.get(name)));
    }

    private static void redirect(RoutingContext ctx, String location) {
        ctx.response().setStatusCode(303).putHeader("Location", location).end();
    }

    private static void send(RoutingContext ctx, int status, String type, String body) {
        send(ctx, status, type, body.getBytes(StandardCharsets.UTF_8));
    }

    private static void send(RoutingContext ctx, int status, String type, byte[] body) {
        HttpServerResponse response = ctx.response();
        if (response.ended()) {
            return;
        }
        headers(response, type);
        response.setStatusCode(status).putHeader("Cache-Control", "no-store").end(Buffer.buffer(body));
    }

    private static void headers(HttpServerResponse response, String type) {
        response.putHeader("Content-Type", type)
                .putHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                .putHeader("X-Content-Type-Options", "nosniff")
                // same-origin: a form POST then carries its true Origin (with no-referrer, Chromium sends "null")
                .putHeader("Referrer-Policy", "same-origin");
    }

    private static String randomToken() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
