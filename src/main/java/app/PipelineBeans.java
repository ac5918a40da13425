package app;

import java.nio.file.Path;

import config.ConfigurationException;
import config.ConvertConfig;
import config.PipelineConfig;
import config.Settings;
import convert.AvroSchemas;
import convert.CsvFormats;
import convert.OpenCsvInput;
import convert.ParquetWriterProcessor;
import lake.LoadStage;
import observe.Observability;
import org.apache.avro.Schema;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.component.http.HttpComponent;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.service.ServiceSupport;
import query.QueryStage;
import run.CrashLeftovers;
import run.DataDirLock;
import run.RunQueue;
import run.RunRecorder;
import run.RunReporter;
import run.StageTimer;
import s3.EmbeddedS3Startup;
import s3.S3Buckets;
import s3.S3Clients;
import software.amazon.awssdk.services.s3.S3Client;
import s3.UploadPlan;
import source.DownloadToFile;
import source.HttpSourceMemory;
import source.InboxLinkCheck;
import source.SourceHeaders;

/**
 * Reads and validates every {@code pipeline.*} setting before any route starts, starts the embedded S3 server of the
 * local profile, and binds the beans the routes use. A bad setting stops the start with a {@code ConfigurationException}.
 */
public final class PipelineBeans implements CamelConfiguration {

    public static final String ONE_SHOT = "oneShotCompletion";

    @Override
    public void configure(CamelContext context) throws Exception {
        Settings settings = new Settings(key -> context.getPropertiesComponent().resolveProperty(key));
        PipelineConfig config = PipelineConfig.load(settings);
        ConvertConfig convert = config.convert();
        Schema schema = null;
        try {
            schema = AvroSchemas.load(convert.schema());
        } catch (ConfigurationException e) {
            e.problems().forEach(settings::problem);
        }
        settings.validate();
        DataDirLock dataDirLock = DataDirLock.acquire(config.dataDir());
        // added first, so stopped last: the data dir is released once everything else has stopped
        context.addService(new ServiceSupport() {
            @Override
            protected void doStop() {
                dataDirLock.close();
            }
        }, true, true);
        // only once the data dir is this process's: another live instance's work files are not leftovers
        CrashLeftovers.remove(config.dataDir(), Path.of(System.getProperty("java.io.tmpdir")));
        // next, so that the embedded S3 server starts while the rest is wired and the routes are built
        S3Client s3 = s3Client(context, config);

        Registry registry = context.getRegistry();
        registry.bind("pipelineConfig", config);
        registry.bind("csvFormat", CsvFormats.dataFormat(convert));
        registry.bind("avroSchema", schema);
        registry.bind("parquetWriter", new ParquetWriterProcessor(convert, schema, config.dataDir().resolve("work")));
        RunReporter reporter = new RunReporter(config.dataDir(), () -> context.isStopping() || context.isStopped());
        reporter.onFinished(Observability.runMetrics(context, config.dataDir(), config.dataset()));
        registry.bind("runReporter", reporter);
        Observability.addHealthChecks(context, config.dataDir());
        HttpSourceMemory httpSource = new HttpSourceMemory(config.dataDir(), config.source().pollInterval());
        registry.bind("httpSourceMemory", httpSource);
        RunRecorder runRecorder = new RunRecorder(reporter, httpSource, config.dataset());
        config.once().ifPresent(runRecorder::digestAhead);
        registry.bind("runRecorder", runRecorder);
        registry.bind("runQueue", new RunQueue(config.table().qualifiedName()));
        registry.bind("downloadToFile", new DownloadToFile(reporter, config.source().maxBytes(),
                config.source().maxDownloadTime()));
        registry.bind("sourceHeaders", new SourceHeaders(config.source().headers()));
        registry.bind("inboxLinkCheck", new InboxLinkCheck(config.inbox().followLinks()));
        registry.bind("openCsvInput", new OpenCsvInput(convert.charset()));
        registry.bind("uploadPlan", new UploadPlan(config.s3(), config.dataset()));

        OneShotCompletion oneShot = registry.lookupByNameAndType(ONE_SHOT, OneShotCompletion.class);
        if (oneShot == null) {
            oneShot = new OneShotCompletion(() -> { });
            registry.bind(ONE_SHOT, oneShot);
        }
        if (config.once().isPresent()) {
            oneShot.expectRun();
        }

        registry.bind("s3Client", s3);
        registry.bind("loadStage", new LoadStage(Engines.loadEngine(context, config, s3), schema));
        registry.bind("queryStage", new QueryStage(Engines.queryEngines(context, config),
                config.table().mode(), config.query().sql()));

        HttpComponent http = context.getComponent("http", HttpComponent.class);
        http.setConnectTimeout(config.source().connectTimeout().toMillis());
        http.setSoTimeout(config.source().readTimeout().toMillis());
        http.setResponseTimeout(config.source().readTimeout().toMillis());
        // no Accept-Encoding: the body arrives as the server stores it, never inflated here (no decompression bomb)
        http.setContentCompressionDisabled(true);

        StageTimer stageTimer = new StageTimer();
        context.getManagementStrategy().addEventNotifier(stageTimer);
        // a notifier only hears events once started; as a service it starts and stops with the context
        context.addService(stageTimer, true, true);
    }

    private static S3Client s3Client(CamelContext context, PipelineConfig config) throws Exception {
        if (config.s3().embedded()) {
            EmbeddedS3Startup embedded = new EmbeddedS3Startup(config.s3(), config.dataDir().resolve("s3"));
            // the context's start waits for the server and the bucket; its stop closes the client, then the server
            context.addService(embedded, true, true);
            return embedded.client();
        }
        S3Client s3 = S3Clients.forAws(config.s3());
        context.addService(new ServiceSupport() {
            @Override
            protected void doStop() {
                s3.close();
            }
        }, true, true);
        S3Buckets.ensureExists(s3, config.s3().bucket(), config.s3().createBucket());
        S3Buckets.abortStaleUploads(s3, config.s3().bucket(), config.s3().keyPrefix(), S3Buckets.processStart());
        return s3;
    }
}
