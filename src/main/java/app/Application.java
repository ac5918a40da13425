package app;

import java.util.Optional;

import config.ConfigurationException;
import config.GivenSettings;
import logging.LoggingSetup;
import org.apache.camel.PropertyBindingException;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainConfigurationProperties;
import routes.ErrorRoutes;
import routes.MaintenanceRoutes;
import routes.PipelineRoutes;
import routes.S3SourceRoutes;
import routes.TriggerRoutes;

/** Starts the pipeline as a Camel Main application; with {@code pipeline.once} it exits with the run's outcome. */
public final class Application {

    /** Exit code of a start-up refused for bad configuration. */
    static final int CONFIGURATION_ERROR = 2;

    private Application() {
    }

    public static void main(String[] args) throws Exception {
        try {
            LoggingSetup.start(GivenSettings.read(Optional.empty()));
        } catch (ConfigurationException e) {
            System.exit(startupFailure(e));
        }
        if (args.length > 0 && args[0].equals(RunsCommand.NAME)) {
            System.exit(RunsCommand.run(java.util.List.of(args).subList(1, args.length), RunsCommand.dataDir(),
                    System.out, System.err));
        }
        if (args.length > 0 && args[0].equals(SchemaCommand.NAME)) {
            System.exit(SchemaCommand.run(java.util.List.of(args).subList(1, args.length), RunsCommand::setting,
                    System.out, System.err));
        }
        if (args.length > 0 && args[0].equals(MaintainCommand.NAME)) {
            System.exit(MaintainCommand.run(java.util.List.of(args).subList(1, args.length), RunsCommand::setting,
                    System.out, System.err));
        }
        Main main = newMain();
        // a signal stops the app as its completion does: the run in progress may finish, then the exit code is its
        StopOnSignal.install(main);
        OneShotCompletion oneShot = main.lookup(PipelineBeans.ONE_SHOT, OneShotCompletion.class);
        int exitCode;
        try {
            main.run(args);
            exitCode = oneShot.exitCode();
        } catch (Exception e) {
            exitCode = startupFailure(e);
        }
        System.exit(exitCode);
    }

    /** The application, wired, with the one-shot completion that stops it and keeps the exit code. */
    public static Main newMain() {
        // no main class: it would turn on package scanning and wire PipelineBeans a second time
        Main main = new Main();
        main.bind(PipelineBeans.ONE_SHOT, new OneShotCompletion(main::completed));
        configure(main.configure());
        return main;
    }

    /** The wiring shared by the application and the whole-app tests. */
    public static void configure(MainConfigurationProperties main) {
        NativeDigests.installIfAsked();
        main.withConfigurations(PipelineBeans.class);
        main.addMainListener(new ManagementServerStartup());
        main.addMainListener(new JvmModeCheck());
        main.addRoutesBuilder(new ErrorRoutes.Configuration());
        main.addRoutesBuilder(new ErrorRoutes());
        main.addRoutesBuilder(new TriggerRoutes());
        main.addRoutesBuilder(new S3SourceRoutes());
        main.addRoutesBuilder(new PipelineRoutes());
        main.addRoutesBuilder(new MaintenanceRoutes());
    }

    private static int startupFailure(Exception e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConfigurationException config) {
                System.err.println(config.getMessage());
                return CONFIGURATION_ERROR;
            }
            if (t instanceof PropertyBindingException binding) {
                // Camel Main's own check (camel.main.autoConfigurationFailFast) of a camel.* key it cannot set
                System.err.println(CamelOptions.problem(binding));
                return CONFIGURATION_ERROR;
            }
        }
        System.err.println("s3tables-pipeline failed to start: " + e.getMessage());
        return 1;
    }
}
