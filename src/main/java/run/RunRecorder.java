package run;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.ExecutionException;

import config.PipelineConfig;
import core.Pipeline;
import core.ConversionResult;
import core.DiskSpace;
import core.RunLogContext;
import core.RunSchema;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.Exchange;
import org.apache.camel.RuntimeCamelException;
import org.apache.camel.spi.Synchronization;
import org.apache.camel.support.SynchronizationAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The steps of the routes that start a run, note what a stage produced, and end the run as SUCCEEDED, SKIPPED or FAILED. */
public final class RunRecorder {

    private static final Logger LOG = LoggerFactory.getLogger("pipeline.errors");
    /** A run's lines end with its exchange, on the thread that ran it. */
    private static final Synchronization END_OF_RUN_LOG_CONTEXT = new SynchronizationAdapter() {
        @Override
        public void onDone(Exchange exchange) {
            RunLogContext.end();
        }
    };

    private final RunReporter reporter;
    private final SettledContent httpSource;
    private final String dataset;
    private final String table;

    /** {@code table}: the table the dataset's runs load ({@code namespace.name}), in every run's report. */
    public RunRecorder(RunReporter reporter, SettledContent httpSource, String dataset, String table) {
        this.reporter = reporter;
        this.httpSource = httpSource;
        this.dataset = dataset;
        this.table = table;
    }

    /**
     * A run begins: from here until its exchange completes, the lines of this thread, and of the threads the run
     * hands work to, carry its dataset and run id ({@link RunLogContext}).
     */
    private PipelineRun newRun(Exchange exchange, String trigger, String source) {
        PipelineRun run = new PipelineRun(trigger, source);
        run.setDataset(dataset);
        run.setTable(table);
        RunLogContext.begin(dataset, run.getRunId());
        exchange.getExchangeExtension().addOnCompletion(END_OF_RUN_LOG_CONTEXT);
        return run;
    }

    /** A file dropped in the inbox: the run reads it where it lies, and moves it when it ends. */
    public void startFromInbox(Exchange exchange) {
        Path file = Path.of(exchange.getIn().getHeader(Exchange.FILE_PATH, String.class)).toAbsolutePath();
        PipelineRun run = newRun(exchange, "file", file.getFileName().toString());
        run.setBytesRead(exchange.getIn().getHeader(Exchange.FILE_LENGTH, 0L, Long.class));
        exchange.setProperty(Pipeline.RUN, run);
        exchange.setProperty(Pipeline.INBOX_FILE, file);
        exchange.setProperty(Pipeline.INPUT_FILE, file);
        exchange.getIn().setBody(file);
    }

    /** A tick of the HTTP poller. */
    public void startFromHttp(Exchange exchange, String url) {
        exchange.setProperty(Pipeline.RUN, newRun(exchange, "http", url));
        exchange.getIn().setHeader(Exchange.HTTP_URI, url);
    }

    /** An object of {@code pipeline.s3source.url}, {@code s3://bucket/key}: its body is stored as a download's. */
    public void startFromS3(Exchange exchange, String object) {
        exchange.setProperty(Pipeline.RUN, newRun(exchange, "s3", object));
    }

    /** {@code pipeline.once}: a file path or an http(s) URL. */
    public void startOnce(Exchange exchange, String location) throws Exception {
        PipelineRun run = newRun(exchange, "once", location);
        exchange.setProperty(Pipeline.RUN, run);
        if (PipelineConfig.isHttp(location)) {
            exchange.getIn().setHeader(Exchange.HTTP_URI, location);
        } else {
            Path file = Path.of(location).toAbsolutePath();
            run.setBytesRead(Files.size(file));
            exchange.setProperty(Pipeline.INPUT_FILE, file);
            exchange.getIn().setBody(file);
        }
    }

    public void converted(Exchange exchange) {
        ConversionResult result = exchange.getProperty(ConversionResult.PROPERTY, ConversionResult.class);
        PipelineRun run = run(exchange);
        run.setConvertedOn("app");
        run.setRowsRead(result.rowsRead());
        run.setRowsWritten(result.rowsWritten());
        run.setRowsRejected(result.rowsRejected());
        run.setWarnings(result.warnings());
        run.setCompression(result.compression(), result.csvBytes());
        recordSchema(exchange, run);
        RunFiles.addWorkFile(exchange, result.parquetFile());
        RunFiles.addWorkFile(exchange, result.rejectsFile());
    }

    public void succeeded(Exchange exchange) {
        PipelineRun run = reported(exchange);
        run.succeeded();
        rememberHttpContent(exchange, run);
        reporter.finish(run, RunFiles.of(exchange));
    }

    public void skipped(Exchange exchange) {
        PipelineRun run = reported(exchange);
        run.skipped(exchange.getProperty(Pipeline.SKIPPED, String.class));
        rememberHttpContent(exchange, run);
        reporter.finish(run, RunFiles.of(exchange));
    }

    /** A poll that found nothing new: no run to report, only its work folder to clear. */
    public void discard(Exchange exchange) {
        reporter.discard(run(exchange), RunFiles.of(exchange));
    }

    private void rememberHttpContent(Exchange exchange, PipelineRun run) {
        if ("http".equals(run.getTrigger())) {
            httpSource.contentSettled(exchange);
        }
    }

    /** The end of the error channel: one clear line in the log, the report, and the input kept aside. */
    public void failed(Exchange exchange) {
        Exception failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        String stage = PipelineStages.of(dataset,
                exchange.getProperty(Exchange.FAILURE_ROUTE_ID, "pipeline", String.class));
        String message = failureMessage(failure);
        Optional<Exception> first = FirstFailure.of(exchange);
        if (first.isPresent()) {
            // what began the redeliveries, and how the last one ended when that says something else
            String last = message;
            message = failureMessage(first.get());
            if (!message.equals(last)) {
                message = message + " (the last attempt: " + last + ")";
            }
        }
        PipelineRun run = exchange.getProperty(Pipeline.RUN, PipelineRun.class);
        if (run == null) {
            LOG.error("{} failed before a run started: {}", stage, message);
            return;
        }
        reported(exchange);
        if (RunFiles.of(exchange).downloaded() && !message.contains(run.getSource())) {
            message = message + " (source " + run.getSource() + ")";
        }
        if (DiskSpace.isFull(failure) && !message.contains(" free of ")) {
            message = message + " (" + DiskSpace.describe(reporter.dataDir()) + ")";
        }
        // the schema it had got to, widened columns and all, says what went wrong with an inferred one
        recordSchema(exchange, run);
        LOG.error("run {} FAILED in stage {}: {}", run.getRunId(), stage, RunReporter.firstLine(message));
        LOG.debug("run {} failure", run.getRunId(), failure);
        run.failed(stage, message);
        if ("http".equals(run.getTrigger()) && !reporter.isStopping()) {
            if (run.getSha256() != null && TransientErrors.isBadData(failure)) {
                // bad data stays bad: the same content is not fetched and failed again on every tick
                httpSource.contentSettled(exchange);
            } else {
                LOG.warn("run {}: not the input's fault, the source is polled again", run.getRunId());
                httpSource.failedForNow(exchange);
            }
        }
        reporter.finish(run, RunFiles.of(exchange));
    }

    private static void recordSchema(Exchange exchange, PipelineRun run) {
        RunSchema schema = exchange.getProperty(Pipeline.SCHEMA, RunSchema.class);
        if (schema != null) {
            run.setSchema(schema);
        }
    }

    private static PipelineRun run(Exchange exchange) {
        return exchange.getProperty(Pipeline.RUN, PipelineRun.class);
    }

    /** The run, its report given the input's SHA-256 from the exchange, if known by now. */
    private static PipelineRun reported(Exchange exchange) {
        PipelineRun run = run(exchange);
        InputIdentity identity = InputIdentity.of(exchange);
        if (identity != null) {
            identity.known().ifPresent(run::setSha256);
        }
        return run;
    }

    /**
     * The message of the failure, without the wrappers Camel and the JDK put around it; a wrapper that says more than
     * its cause (Iceberg's "Failed to read file: <path>") keeps its words before the cause's.
     */
    static String failureMessage(Throwable failure) {
        Throwable t = failure;
        String context = "";
        while ((t instanceof RuntimeCamelException || t instanceof CamelExecutionException
                || t instanceof UncheckedIOException || t instanceof ExecutionException)
               && t.getCause() != null) {
            if (t instanceof UncheckedIOException && saysMore(t.getMessage(), t.getCause())) {
                context = context + t.getMessage() + ": ";
            }
            t = t.getCause();
        }
        return context + causeMessage(t);
    }

    private static boolean saysMore(String message, Throwable cause) {
        return message != null && !message.equals(cause.toString())
               && (cause.getMessage() == null || !message.contains(cause.getMessage()));
    }

    private static String causeMessage(Throwable t) {
        if (t == null) {
            return "unknown failure";
        }
        String message = t.getMessage();
        if (message == null || message.isBlank()) {
            return t.getClass().getSimpleName();
        }
        if (t instanceof java.nio.file.FileSystemException) {
            // its message is only the path: say what went wrong with it
            return t.getClass().getSimpleName() + ": " + message;
        }
        return message;
    }
}
