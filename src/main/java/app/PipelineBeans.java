package app;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.function.Predicate;

import core.DataDirLayout;
import config.ConfigurationException;
import config.ConvertConfig;
import config.Datasets;
import config.PipelineConfig;
import config.S3SourceConfig;
import config.SettingNames;
import config.Settings;
import config.UiConfig;
import convert.AvroSchemas;
import convert.CsvFormats;
import convert.OpenCsvInput;
import convert.ParquetWriterProcessor;
import convert.SchemaInference;
import convert.SparkConvertSpec;
import core.Pipeline;
import core.Secrets;
import lake.LoadEngine;
import lake.LoadStage;
import lake.MergeKeys;
import lake.TableMaintenance;
import observe.Observability;
import org.apache.avro.Schema;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.component.http.HttpComponent;
import org.apache.camel.spi.Registry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import query.QueryStage;
import run.CrashLeftovers;
import run.DataDirLock;
import run.ErrorsEndTheRun;
import run.GracefulStop;
import run.IdentifyInput;
import run.RunQueue;
import run.RunRecorder;
import run.RunReporter;
import run.StageTimer;
import s3.S3Startup;
import s3.UploadPlan;
import software.amazon.awssdk.services.s3.S3Client;
import source.DownloadToFile;
import source.HttpSourceMemory;
import source.InboxFileCheck;
import source.SourceHeaders;
import ui.WebUi;

/**
 * The composition root: reads and validates every {@code pipeline.*} setting before any route starts, binds the beans
 * the routes use, and runs the start-up's steps in their order ({@link #configure}). A bad setting stops the start
 * with a {@code ConfigurationException}.
 */
public final class PipelineBeans implements CamelConfiguration {

    public static final String ONE_SHOT = "oneShotCompletion";

    private static final Logger LOG = LoggerFactory.getLogger(PipelineBeans.class);

    /** What the wiring brings to the start-up: the reports' writer, each dataset's part, the web UI if on. */
    private record Wired(RunReporter reporter, List<DatasetStartup> datasets, Optional<WebUi> web) {
    }

    /** What a dataset brings to the start-up. */
    private record DatasetStartup(PipelineConfig config, IdentifyInput identifyInput, LoadEngine loadEngine,
                                  Schema schema) {
    }

    /**
     * Reads the settings and checks them, every key by name ({@link SettingNames}) and every value, then starts the app
     * in this order, each step a named service that the context stops in the reverse order.
     */
    @Override
    public void configure(CamelContext context) throws Exception {
        Settings settings = new Settings(key -> context.getPropertiesComponent().resolveProperty(key));
        Datasets datasets = Datasets.load(settings);
        List<Schema> schemas = schemas(datasets, settings);
        UiConfig ui = UiConfig.from(settings);
        Optional<S3SourceConfig> s3Source = S3SourceConfig.load(settings, datasets);
        SettingNames.Check names = SettingNames.check(given(context), settings.list("pipeline.datasets"));
        names.problems().forEach(settings::problem);
        names.warnings().forEach(LOG::warn);
        settings.validate();
        if (LOG.isDebugEnabled()) {
            // Camel's own listing (camel.main.autoConfigurationLogSummary) is off: the settings, at DEBUG
            SettingNames.settings().forEach(key -> LOG.debug("{} = {}", key, Secrets.property(key,
                    settings.given(key).orElse(""))));
        }
        // what every dataset shares: the data dir, the S3 client, the reports, the run slots
        PipelineConfig shared = datasets.all().get(0);
        Path dataDir = shared.dataDir();
        S3Startup s3 = S3Startup.of(shared.s3(), DataDirLayout.s3(dataDir));

        // a stop lets the runs in flight finish, up to camel.main.shutdownTimeout
        GracefulStop.of(context);
        StartupSteps startup = new StartupSteps(context);
        // first, so stopped last: the data dir is released once everything else has stopped
        startup.run("data dir lock", new DataDirLock(dataDir));
        // a port taken is said once the data dir is this process's: a second process is told of the lock first
        startup.run("management port", () -> ManagementServerStartup.checkPortIsFree(context));
        // only once the data dir is this process's: another live instance's work files are not leftovers
        startup.run("crash leftovers", new CrashLeftovers(dataDir, Path.of(System.getProperty("java.io.tmpdir"))));
        // next, so that the embedded S3 server starts (on threads of its own) while the rest is wired
        startup.run("S3 bucket and stale uploads", s3);
        Wired wired = bindBeans(context, datasets, schemas, s3, ui);
        s3Source.ifPresent(source -> S3SourceBeans.bind(context, shared, source, wired.reporter(), s3::client));
        // room for the reports of runs that fill the disk
        startup.run("space kept for reports", wired.reporter()::reserveSpace);
        if (wired.web().isPresent()) {
            // the reports indexed on a thread of its own; the pages served once the management server listens
            startup.run("web UI", wired.web().get());
        }
        for (DatasetStartup dataset : wired.datasets()) {
            PipelineConfig config = dataset.config();
            String name = config.dataset() + ": ";
            if (config.once().isPresent()) {
                // a one-shot file's SHA-256, computed on a thread of its own from now on
                startup.run(name + "input identity ahead", dataset.identifyInput());
            }
            // what a killed process left: data files never committed (embedded), clusters not terminated (EMR)
            startup.run(name + "load engine", dataset.loadEngine());
            // and, when the app's stop is about to pass its timeout, the engine's runs still waiting on a job or a
            // cluster end
            startup.whenStopTimeRunsOut(dataset.loadEngine()::stopRuns);
            // the one-shot's table, created meanwhile (only looked up when its schema is to be inferred), unless the
            // input is a file that is not there to load
            if (config.once().filter(once -> PipelineConfig.isHttp(once) || Files.isReadable(Path.of(once)))
                    .isPresent()) {
                startup.run(name + "table ahead", () -> dataset.loadEngine().prepareAhead(dataset.schema()));
            }
            // DuckDB's native library, loaded meanwhile
            Optional<Runnable> queryEngineAhead = Engines.queryEngineAhead(config);
            if (queryEngineAhead.isPresent()) {
                startup.run(name + "query engine ahead", queryEngineAhead.get());
            }
        }
    }

    /**
     * The {@code pipeline.*} keys given to this process, for {@link SettingNames}: those of the properties Camel
     * loaded (the files, the {@code --config} file, a test's), of {@code -D}, and the environment's variables.
     */
    private static SettingNames.Given given(CamelContext context) {
        Map<String, String> keys = new LinkedHashMap<>();
        Predicate<String> pipeline = key -> key.startsWith("pipeline.");
        context.getPropertiesComponent().loadProperties(pipeline).stringPropertyNames()
                .forEach(key -> keys.put(key, "a properties file"));
        System.getProperties().stringPropertyNames().stream().filter(pipeline).forEach(key -> keys.put(key, "-D"));
        return new SettingNames.Given(keys, System.getenv().keySet().stream()
                .filter(name -> name.startsWith("PIPELINE_")).sorted().toList());
    }

    /**
     * Each dataset's Avro schema; one that cannot be read is a problem of the settings. A dataset without a schema
     * has it inferred from each CSV: null here.
     */
    private static List<Schema> schemas(Datasets datasets, Settings settings) {
        List<Schema> schemas = new ArrayList<>();
        for (PipelineConfig config : datasets.all()) {
            String named = datasets.several() ? "dataset " + config.dataset() + ": " : "";
            try {
                Schema schema = config.convert().schema().map(AvroSchemas::load).orElse(null);
                schemas.add(schema);
                if (schema != null) {
                    MergeKeys.problems(config.table().merge(), schema, config.convert().schema().get())
                            .forEach(problem -> settings.problem(named + problem));
                }
            } catch (ConfigurationException e) {
                schemas.add(null);
                e.problems().forEach(problem -> settings.problem(named + problem));
            }
            Engines.queryProblem(config).ifPresent(problem -> settings.problem(named + problem));
        }
        return schemas;
    }

    /** The beans the routes use, shared and per dataset, and what each dataset brings to the start-up. */
    private static Wired bindBeans(CamelContext context, Datasets datasets, List<Schema> schemas,
                                   S3Startup s3, UiConfig ui) throws Exception {
        context.getCamelContextExtension().addInterceptStrategy(new ErrorsEndTheRun());
        Path dataDir = datasets.all().get(0).dataDir();
        Registry registry = context.getRegistry();
        registry.bind(Datasets.BEAN, datasets);
        // looked up as the upload route is created: the embedded server's client is being built meanwhile
        registry.bind("s3Client", S3Client.class, s3::client);
        RunReporter reporter = new RunReporter(dataDir, () -> context.isStopping() || context.isStopped());
        reporter.onFinished(Observability.runMetrics(context, dataDir,
                datasets.all().stream().map(PipelineConfig::dataset).toList()));
        registry.bind("runReporter", reporter);
        Optional<WebUi> web = ui.enabled() ? Optional.of(new WebUi(context, datasets, ui, dataDir)) : Optional.empty();
        web.ifPresent(pages -> reporter.onFinished(pages::runFinished));
        Observability.addHealthChecks(context, dataDir);

        OneShotCompletion oneShot = registry.lookupByNameAndType(ONE_SHOT, OneShotCompletion.class);
        if (oneShot == null) {
            oneShot = new OneShotCompletion(() -> { });
            registry.bind(ONE_SHOT, oneShot);
        }
        Semaphore runSlots = new Semaphore(datasets.maxConcurrentRuns(), true);
        Map<String, RunQueue> queues = new HashMap<>();
        List<DatasetStartup> startups = new ArrayList<>();
        for (int i = 0; i < datasets.all().size(); i++) {
            PipelineConfig config = datasets.all().get(i);
            RunQueue queue = queues.computeIfAbsent(config.table().qualifiedName(),
                    table -> new RunQueue(table, runSlots));
            startups.add(bindDataset(context, config, schemas.get(i), datasets, reporter, queue, s3));
            if (config.once().isPresent()) {
                oneShot.expectRun(config.dataset());
            }
        }

        PipelineConfig shared = datasets.all().get(0);
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
        return new Wired(reporter, startups, web);
    }

    /** The beans of one dataset's routes, each named {@code <dataset>.<bean>}; what it brings to the start-up. */
    private static DatasetStartup bindDataset(CamelContext context, PipelineConfig config, Schema schema,
                                              Datasets datasets, RunReporter reporter, RunQueue queue, S3Startup s3) {
        Registry registry = context.getRegistry();
        ConvertConfig convert = config.convert();
        String dataset = config.dataset();
        registry.bind(Pipeline.bean(dataset, "pipelineConfig"), config);
        registry.bind(Pipeline.bean(dataset, "csvFormat"), CsvFormats.dataFormat(convert));
        registry.bind(Pipeline.bean(dataset, "schemaInference"), new SchemaInference(convert, schema));
        registry.bind(Pipeline.bean(dataset, "parquetWriter"),
                new ParquetWriterProcessor(convert, schema, DataDirLayout.work(config.dataDir())));
        registry.bind(Pipeline.bean(dataset, "sparkConvertSpec"),
                new SparkConvertSpec(convert, DataDirLayout.work(config.dataDir())));
        HttpSourceMemory httpSource = new HttpSourceMemory(config.stateDir(), config.source().pollInterval());
        registry.bind(Pipeline.bean(dataset, "httpSourceMemory"), httpSource);
        registry.bind(Pipeline.bean(dataset, "runRecorder"), new RunRecorder(reporter, httpSource, dataset,
                config.table().qualifiedName()));
        IdentifyInput identifyInput = new IdentifyInput(config.once());
        registry.bind(Pipeline.bean(dataset, "identifyInput"), identifyInput);
        registry.bind(Pipeline.bean(dataset, "runQueue"), queue);
        registry.bind(Pipeline.bean(dataset, "downloadToFile"), new DownloadToFile(reporter,
                config.source().maxBytes(), config.source().maxDownloadTime()));
        registry.bind(Pipeline.bean(dataset, "sourceHeaders"), new SourceHeaders(config.source().headers()));
        registry.bind(Pipeline.bean(dataset, "inboxFileCheck"), new InboxFileCheck(config.inbox().followLinks()));
        registry.bind(Pipeline.bean(dataset, "openCsvInput"), new OpenCsvInput(convert.charset(),
                convert.maxInputBytes()));
        registry.bind(Pipeline.bean(dataset, "uploadPlan"), new UploadPlan(config.s3(), dataset,
                config.s3().embedded() ? Optional.of(DataDirLayout.s3(config.dataDir())) : Optional.empty()));
        registry.bind(Pipeline.bean(dataset, "tableMaintenance"), new TableMaintenance(config.table()));
        LoadEngine loadEngine = Engines.loadEngine(config, s3::client);
        registry.bind(Pipeline.bean(dataset, "loadStage"), new LoadStage(loadEngine, config.table().merge()));
        registry.bind(Pipeline.bean(dataset, "queryStage"), new QueryStage(
                Engines.queryEngines(context, config, datasets.tables()), config.table().mode(), config.query()));
        return new DatasetStartup(config, identifyInput, loadEngine, schema);
    }
}
