package app;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;

import core.DataDirLayout;
import config.ConfigurationException;
import config.ConvertConfig;
import config.Datasets;
import config.PipelineConfig;
import config.Settings;
import convert.AvroSchemas;
import convert.CsvFormats;
import convert.OpenCsvInput;
import convert.ParquetWriterProcessor;
import convert.SchemaInference;
import core.Pipeline;
import lake.LoadEngine;
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
import run.ErrorsEndTheRun;
import run.IdentifyInput;
import run.RunQueue;
import run.RunRecorder;
import run.RunReporter;
import run.StageTimer;
import s3.EmbeddedS3Startup;
import s3.S3Buckets;
import s3.S3Clients;
import s3.UploadPlan;
import software.amazon.awssdk.services.s3.S3Client;
import source.DownloadToFile;
import source.HttpSourceMemory;
import source.InboxFileCheck;
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
        Datasets datasets = Datasets.load(settings);
        // a dataset without a schema has it inferred from each CSV: null here
        List<Schema> schemas = new ArrayList<>();
        for (PipelineConfig config : datasets.all()) {
            String named = datasets.several() ? "dataset " + config.dataset() + ": " : "";
            try {
                schemas.add(config.convert().schema().map(AvroSchemas::load).orElse(null));
            } catch (ConfigurationException e) {
                schemas.add(null);
                e.problems().forEach(problem -> settings.problem(named + problem));
            }
            Engines.queryProblem(config).ifPresent(problem -> settings.problem(named + problem));
        }
        settings.validate();
        context.getCamelContextExtension().addInterceptStrategy(new ErrorsEndTheRun());
        // what every dataset shares: the data dir, the S3 client, the reports, the run slots
        PipelineConfig shared = datasets.all().get(0);
        Path dataDir = shared.dataDir();
        DataDirLock dataDirLock = DataDirLock.acquire(dataDir);
        // added first, so stopped last: the data dir is released once everything else has stopped
        context.addService(new ServiceSupport() {
            @Override
            protected void doStop() {
                dataDirLock.close();
            }
        }, true, true);
        // only once the data dir is this process's: another live instance's work files are not leftovers
        CrashLeftovers.remove(dataDir, Path.of(System.getProperty("java.io.tmpdir")));
        // next, so that the embedded S3 server starts while the rest is wired and the routes are built
        Supplier<S3Client> s3 = s3Client(context, shared);

        Registry registry = context.getRegistry();
        registry.bind(Datasets.BEAN, datasets);
        // looked up as the upload route is created: the embedded server's client is being built meanwhile
        registry.bind("s3Client", S3Client.class, s3::get);
        RunReporter reporter = new RunReporter(dataDir, () -> context.isStopping() || context.isStopped());
        // room for the reports of runs that fill the disk
        reporter.reserveSpace();
        reporter.onFinished(Observability.runMetrics(context, dataDir,
                datasets.all().stream().map(PipelineConfig::dataset).toList()));
        registry.bind("runReporter", reporter);
        Observability.addHealthChecks(context, dataDir);

        OneShotCompletion oneShot = registry.lookupByNameAndType(ONE_SHOT, OneShotCompletion.class);
        if (oneShot == null) {
            oneShot = new OneShotCompletion(() -> { });
            registry.bind(ONE_SHOT, oneShot);
        }
        Semaphore runSlots = new Semaphore(datasets.maxConcurrentRuns(), true);
        Map<String, RunQueue> queues = new HashMap<>();
        for (int i = 0; i < datasets.all().size(); i++) {
            PipelineConfig config = datasets.all().get(i);
            RunQueue queue = queues.computeIfAbsent(config.table().qualifiedName(),
                    table -> new RunQueue(table, runSlots));
            bindDataset(context, config, schemas.get(i), datasets, reporter, queue, s3);
            if (config.once().isPresent()) {
                oneShot.expectRun(config.dataset());
            }
        }

        HttpComponent http = context.getComponent("http", HttpComponent.class);
        http.setConnectTimeout(shared.source().connectTimeout().toMillis());
        http.setSoTimeout(shared.source().readTimeout().toMillis());
        http.setResponseTimeout(shared.source().readTimeout().toMillis());
        // no Accept-Encoding: the body arrives as the server stores it, never inflated here (no decompression bomb)
        http.setContentCompressionDisabled(true);

        StageTimer stageTimer = new StageTimer();
        context.getManagementStrategy().addEventNotifier(stageTimer);
        // a notifier only hears events once started; as a service it starts and stops with the context
        context.addService(stageTimer, true, true);
    }

    /** The beans of one dataset's routes, each named {@code <dataset>.<bean>}. */
    private static void bindDataset(CamelContext context, PipelineConfig config, Schema schema, Datasets datasets,
                                    RunReporter reporter, RunQueue queue, Supplier<S3Client> s3) {
        Registry registry = context.getRegistry();
        ConvertConfig convert = config.convert();
        String dataset = config.dataset();
        registry.bind(Pipeline.bean(dataset, "pipelineConfig"), config);
        registry.bind(Pipeline.bean(dataset, "csvFormat"), CsvFormats.dataFormat(convert));
        registry.bind(Pipeline.bean(dataset, "schemaInference"), new SchemaInference(convert, schema));
        registry.bind(Pipeline.bean(dataset, "parquetWriter"),
                new ParquetWriterProcessor(convert, schema, DataDirLayout.work(config.dataDir())));
        HttpSourceMemory httpSource = new HttpSourceMemory(config.stateDir(), config.source().pollInterval());
        registry.bind(Pipeline.bean(dataset, "httpSourceMemory"), httpSource);
        registry.bind(Pipeline.bean(dataset, "runRecorder"), new RunRecorder(reporter, httpSource, dataset));
        IdentifyInput identifyInput = new IdentifyInput(config.once());
        identifyInput.start();
        registry.bind(Pipeline.bean(dataset, "identifyInput"), identifyInput);
        registry.bind(Pipeline.bean(dataset, "runQueue"), queue);
        registry.bind(Pipeline.bean(dataset, "downloadToFile"), new DownloadToFile(reporter,
                config.source().maxBytes(), config.source().maxDownloadTime()));
        registry.bind(Pipeline.bean(dataset, "sourceHeaders"), new SourceHeaders(config.source().headers()));
        registry.bind(Pipeline.bean(dataset, "inboxFileCheck"), new InboxFileCheck(config.inbox().followLinks()));
        registry.bind(Pipeline.bean(dataset, "openCsvInput"), new OpenCsvInput(convert.charset()));
        registry.bind(Pipeline.bean(dataset, "uploadPlan"), new UploadPlan(config.s3(), dataset,
                config.s3().embedded() ? Optional.of(DataDirLayout.s3(config.dataDir())) : Optional.empty()));
        LoadEngine loadEngine = Engines.loadEngine(context, config, s3);
        // the one-shot's table, created while the app starts (only looked up when its schema is to be inferred),
        // unless the input is a file that is not there to load
        if (config.once().filter(once -> PipelineConfig.isHttp(once) || Files.isReadable(Path.of(once))).isPresent()) {
            loadEngine.prepareAhead(schema);
        }
        registry.bind(Pipeline.bean(dataset, "loadStage"), new LoadStage(loadEngine));
        registry.bind(Pipeline.bean(dataset, "queryStage"), new QueryStage(
                Engines.queryEngines(context, config, datasets.tables()), config.table().mode(), config.query()));
    }

    private static Supplier<S3Client> s3Client(CamelContext context, PipelineConfig config) throws Exception {
        if (config.s3().embedded()) {
            EmbeddedS3Startup embedded = new EmbeddedS3Startup(config.s3(), DataDirLayout.s3(config.dataDir()));
            // the server and the bucket start meanwhile; the context's stop closes the client, then the server
            context.addService(embedded, true, true);
            return embedded::client;
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
        return () -> s3;
    }
}
