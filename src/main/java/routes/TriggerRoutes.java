package routes;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import config.Datasets;
import config.InboxConfig;
import config.PipelineConfig;
import core.Pipeline;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ExtendedStartupListener;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.endpoint.EndpointRouteBuilder;
import org.apache.camel.builder.endpoint.dsl.FileEndpointBuilderFactory.FileEndpointConsumerBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import run.RunRecorder;

/**
 * What starts a run of a dataset: a timer polling {@code pipeline.source.url}, a file dropped in the inbox, or the
 * one-shot {@code pipeline.once}. Each starts a run and hands its input to {@code direct:<dataset>-ingest}.
 */
public final class TriggerRoutes extends EndpointRouteBuilder {

    private static final Logger LOG = LoggerFactory.getLogger(TriggerRoutes.class);

    /** The timers' first runs wait for it: see {@link FullyStarted}. */
    private final FullyStarted fullyStarted = new FullyStarted();

    @Override
    public void configure() throws Exception {
        getContext().addStartupListener(fullyStarted);
        Datasets datasets = getContext().getRegistry().lookupByNameAndType(Datasets.BEAN, Datasets.class);
        for (PipelineConfig dataset : datasets.all()) {
            configure(dataset, datasets.oneShot());
            LOG.info("Dataset {}", dataset.describe(datasets.oneShot()));
        }
        if (!datasets.oneShot() && datasets.several() && datasets.inboxRoot().isPresent()) {
            unwatchedInbox(datasets);
        }
    }

    /**
     * With several datasets, each watches {@code <inbox>/<name>/}: a file dropped in {@code <inbox>/} itself is read
     * by none. It stays where it is, named once in a warning with the folders that are watched.
     */
    private void unwatchedInbox(Datasets datasets) {
        Path root = datasets.inboxRoot().orElseThrow();
        List<PipelineConfig> watching = datasets.all().stream().filter(PipelineConfig::inboxEnabled).toList();
        String folders = watching.stream().map(config -> config.inbox().dir().toString())
                .collect(Collectors.joining(", "));
        String names = watching.stream().map(config -> "(?:" + config.inbox().include() + ")")
                .collect(Collectors.joining("|"));
        from(file(root.toString())
                .include("(?s)(?:" + names + ")")
                // nothing is moved, each file is named once (Camel's idempotent repository, in memory)
                .noop(true)
                .idempotent(true)
                .recursive(false)
                .delay(watching.get(0).inbox().pollInterval().toMillis()))
                .routeId("inbox-unwatched")
                .log(LoggingLevel.WARN, LOG, "${header." + Exchange.FILE_NAME + "} in " + root + " is read by no"
                        + " dataset: with pipeline.datasets each dataset watches its own folder (" + folders
                        + "); move it into the folder of its dataset");
    }

    /**
     * The triggers of one dataset; in a one-shot process only the {@code once} runs, no inbox and no poller. A trigger
     * that does not run is not built either (creating the poller's route alone takes 0.1 s of a one-shot start-up).
     */
    private void configure(PipelineConfig config, boolean oneShot) throws Exception {
        if (!oneShot && config.httpPollingEnabled()) {
            httpPoll(config);
        }
        if (!oneShot && config.inboxEnabled()) {
            inbox(config);
        }
        if (config.once().isPresent()) {
            once(config);
        }
    }

    /** Where a poll of {@code dataset}'s source begins, a timer's tick or not: sent to, it polls now. */
    public static String pollEndpoint(String dataset) {
        return "direct:" + dataset + "-http-poll";
    }

    private void httpPoll(PipelineConfig config) {
        String dataset = config.dataset();
        String errors = ErrorRoutes.configurationOf(dataset);
        String recorder = Pipeline.bean(dataset, "runRecorder");
        String httpSourceMemory = Pipeline.bean(dataset, "httpSourceMemory");
        RunRecorder runs = getContext().getRegistry().lookupByNameAndType(recorder, RunRecorder.class);
        String sourceUrl = config.source().url().map(Object::toString).orElse("");

        from(timer(dataset + "-http-poll").period(config.source().pollInterval().toMillis()).delay(0))
                .routeId(dataset + "-poll-timer")
                .routeConfigurationId(errors)
                .process(exchange -> fullyStarted.await(exchange.getContext()))
                .to(direct(dataset + "-http-poll"));

        // a tick of the timer, or "poll now" from the web UI: one poll of the source at a time
        from(direct(dataset + "-http-poll"))
                .routeId(dataset + "-http-poll")
                .routeConfigurationId(errors)
                .throttle(1)
                .process(exchange -> runs.startFromHttp(exchange, sourceUrl))
                // a source whose runs keep failing for the infrastructure's sake is polled less and less often
                .filter(method(httpSourceMemory, "isDue").isEqualTo(false))
                    .bean(recorder, "discard")
                    .stop()
                .end()
                .process(Pipeline.bean(dataset, "sourceHeaders"))
                .bean(httpSourceMemory, "addValidators")
                .to(direct(dataset + "-download"))
                .choice()
                    .when(header(Exchange.HTTP_RESPONSE_CODE).isEqualTo(304))
                        .log("${exchangeProperty.pipelineRun.source} not modified since the last load")
                        .bean(recorder, "discard")
                    .when(method(httpSourceMemory, "isNewContent"))
                        .to(direct(dataset + "-ingest"))
                    .otherwise()
                        .log("${exchangeProperty.pipelineRun.source} unchanged (sha256"
                             + " ${exchangeProperty.pipelineInputSha256} is the last loaded content)")
                        .bean(httpSourceMemory, "contentSettled")
                        .bean(recorder, "discard")
                .end();
    }

    private void inbox(PipelineConfig config) {
        String dataset = config.dataset();
        String recorder = Pipeline.bean(dataset, "runRecorder");
        FileEndpointConsumerBuilder inbox = file(config.inbox().dir().toString())
                // a file still being written under another name (x.csv.tmp, .x.csv) is not matched until renamed; a
                // name with a line break matches too ((?s)), to be refused by the run rather than ignored unsaid
                .include("(?s)" + config.inbox().include())
                // the run itself moves the file when it ends: .done/, or .failed/ with its .error.json
                .noop(true)
                .idempotent(false)
                .readLock("changed")
                // no x.csv.camelLock beside each file: it kept names over 245 bytes from ever being read, and one
                // process per data dir (its lock) with one inbox per dataset keeps a file to one run already
                .readLockMarkerFile(false)
                // an empty file is read too (and rejected as empty), instead of blocking the inbox
                .readLockMinLength(0)
                .readLockMinAge(config.inbox().readLockMinAge().toMillis())
                .readLockCheckInterval(250)
                .delay(config.inbox().pollInterval().toMillis())
                .sortBy("file:modified");
        if (config.inbox().doneMarker()) {
            // x.csv is read only once x.csv.done exists; the run removes the marker when it moves the file
            inbox.doneFileName("${file:name}" + InboxConfig.DONE_MARKER_SUFFIX);
        }
        from(inbox)
                .routeId(dataset + "-inbox")
                .routeConfigurationId(ErrorRoutes.configurationOf(dataset))
                .bean(recorder, "startFromInbox")
                .process(Pipeline.bean(dataset, "inboxFileCheck"))
                .to(direct(dataset + "-ingest"));
    }

    private void once(PipelineConfig config) throws Exception {
        String dataset = config.dataset();
        RunRecorder runs = getContext().getRegistry().lookupByNameAndType(Pipeline.bean(dataset, "runRecorder"),
                RunRecorder.class);
        String once = config.once().orElseThrow();

        from(timer(dataset + "-once").repeatCount(1).delay(0))
                .routeId(dataset + "-once")
                .routeConfigurationId(ErrorRoutes.configurationOf(dataset))
                .onCompletion()
                    .bean("oneShotCompletion", "finish")
                .end()
                // several datasets: one after another, in the order of pipeline.datasets
                .setProperty(Pipeline.DATASET, constant(dataset))
                .process(exchange -> fullyStarted.await(exchange.getContext()))
                .filter(method("oneShotCompletion", "awaitTurn").isEqualTo(false))
                    .stop()
                .end()
                .process(exchange -> runs.startOnce(exchange, once))
                .choice()
                    .when(header(Exchange.HTTP_URI).isNotNull())
                        .process(Pipeline.bean(dataset, "sourceHeaders"))
                        .to(direct(dataset + "-download"))
                .end()
                .to(direct(dataset + "-ingest"));
    }

    /**
     * A timer with no delay (the one-shot's, the HTTP poll's) fires as the context starts its routes, before it has
     * fully started. A run that quick (a convert on Spark reads only the header) reached the upload's {@code toD}
     * then: the endpoint it created was left to the context's deferred start, which had already run, and it never
     * started (its S3 client null). Those runs wait for the context to have fully started.
     */
    private static final class FullyStarted implements ExtendedStartupListener {

        private final CountDownLatch started = new CountDownLatch(1);

        @Override
        public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
            // not yet: the routes' services may still be starting
        }

        @Override
        public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) {
            started.countDown();
        }

        void await(CamelContext context) throws InterruptedException {
            while (!started.await(50, TimeUnit.MILLISECONDS) && !context.getStatus().isStarted()) {
                // the context is still starting
            }
        }
    }
}
