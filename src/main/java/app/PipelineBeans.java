package app;

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
import org.apache.camel.support.processor.idempotent.FileIdempotentRepository;
import query.QueryStage;
import run.DataDirLock;
import run.RunQueue;
import run.RunRecorder;
import run.RunReporter;
import run.StageTimer;
import s3.EmbeddedS3Server;
import s3.S3Buckets;
import s3.S3Clients;
import software.amazon.awssdk.services.s3.S3Client;
import s3.UploadPlan;
import source.DownloadToFile;
import source.HttpSourceMemory;

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

        Registry registry = context.getRegistry();
        registry.bind("pipelineConfig", config);
        registry.bind("csvFormat", CsvFormats.dataFormat(convert));
        registry.bind("avroSchema", schema);
        registry.bind("parquetWriter", new ParquetWriterProcessor(convert, schema, config.dataDir().resolve("work")));
        RunReporter reporter = new RunReporter(config.dataDir());
        reporter.onFinished(Observability.runMetrics(context, config.dataDir(), config.dataset()));
        registry.bind("runReporter", reporter);
        Observability.addHealthChecks(context, config.dataDir());
        HttpSourceMemory httpSource = new HttpSourceMemory(config.dataDir(),
                FileIdempotentRepository.fileIdempotentRepository(
                        config.dataDir().resolve("state").resolve("http-sha256.txt").toFile(), 10_000));
        registry.bind("httpSourceMemory", httpSource);
        registry.bind("runRecorder", new RunRecorder(reporter, httpSource, config.dataset()));
        registry.bind("runQueue", new RunQueue(config.table().qualifiedName()));
        registry.bind("downloadToFile", new DownloadToFile(reporter));
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

        S3Client s3 = s3Client(context, config);
        registry.bind("s3Client", s3);
        // closed before the embedded server stops (services stop in reverse order), so no connection is left open
        context.addService(new ServiceSupport() {
            @Override
            protected void doStop() {
                s3.close();
            }
        }, true, true);
        S3Buckets.ensureExists(s3, config.s3().bucket(), config.s3().createBucket());

        registry.bind("loadStage", new LoadStage(Engines.loadEngine(context, config, s3), schema));
        registry.bind("queryStage", new QueryStage(Engines.queryEngines(context, config),
                config.table().mode(), config.query().sql()));

        HttpComponent http = context.getComponent("http", HttpComponent.class);
        http.setConnectTimeout(config.source().connectTimeout().toMillis());
        http.setSoTimeout(config.source().readTimeout().toMillis());
        http.setResponseTimeout(config.source().readTimeout().toMillis());

        StageTimer stageTimer = new StageTimer();
        context.getManagementStrategy().addEventNotifier(stageTimer);
        // a notifier only hears events once started; as a service it starts and stops with the context
        context.addService(stageTimer, true, true);
    }

    private static S3Client s3Client(CamelContext context, PipelineConfig config) throws Exception {
        if (!config.s3().embedded()) {
            return S3Clients.forAws(config.s3());
        }
        EmbeddedS3Server server = new EmbeddedS3Server(config.dataDir().resolve("s3"), config.s3().embeddedPort());
        server.start();
        // stopped with the context
        context.addService(server, true, true);
        return S3Clients.forEmbedded(config.s3(), server);
    }
}
