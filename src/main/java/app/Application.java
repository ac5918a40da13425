package app;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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

/**
 * Starts the pipeline as a Camel Main application; with {@code pipeline.once} it exits with the run's outcome. A
 * command ({@link Commands}: {@code help}, {@code runs}, {@code query}, ...) answers instead, without starting it.
 * {@code --config <file>}, anywhere on the command line, reads a properties file over application.properties.
 */
public final class Application {

    /** Exit code of a start-up refused for bad configuration. */
    static final int CONFIGURATION_ERROR = 2;

    private Application() {
    }

    public static void main(String[] args) throws Exception {
        CommandLine line;
        GivenSettings given;
        try {
            line = CommandLine.parse(List.of(args));
            given = GivenSettings.read(line.config());
            if (line.command().isPresent()) {
                LoggingSetup.startForCommand(given);
            } else {
                LoggingSetup.start(given);
            }
        } catch (ConfigurationException e) {
            System.exit(startupFailure(e));
            return;
        }
        if (line.command().isPresent()) {
            System.exit(Commands.run(line.command().get(), line.arguments(), given, System.out, System.err));
        }
        Main main = newMain(given);
        // a signal stops the app as its completion does: the run in progress may finish, then the exit code is its
        StopOnSignal.install(main);
        OneShotCompletion oneShot = main.lookup(PipelineBeans.ONE_SHOT, OneShotCompletion.class);
        int exitCode;
        try {
            main.run(line.arguments().toArray(String[]::new));
            exitCode = oneShot.exitCode();
        } catch (Exception e) {
            exitCode = startupFailure(e);
        }
        System.exit(exitCode);
    }

    /** The application, wired, with the one-shot completion that stops it and keeps the exit code. */
    public static Main newMain() {
        return newMain(GivenSettings.read(Optional.empty()));
    }

    /** The application over the settings {@code given}: a {@code --config} file's become Camel's override properties. */
    static Main newMain(GivenSettings given) {
        // no main class: it would turn on package scanning and wire PipelineBeans a second time
        Main main = new Main();
        main.bind(PipelineBeans.ONE_SHOT, new OneShotCompletion(main::completed));
        if (!given.configFile().isEmpty()) {
            // over the properties files, under -D and the environment: Camel's override properties
            main.setOverrideProperties(given.configFile());
            // Camel Main chooses the profile's file from -D, the environment or application.properties only
            given.profile().ifPresent(profile -> main.configure().setProfile(profile));
        }
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

    static int startupFailure(Exception e) {
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

    /**
     * The command line: {@code --config <file>} (or {@code --config=<file>}) anywhere; then a command and its
     * arguments, or else the arguments Camel Main reads.
     */
    record CommandLine(Optional<Path> config, Optional<String> command, List<String> arguments) {

        static CommandLine parse(List<String> args) {
            Optional<Path> config = Optional.empty();
            List<String> rest = new ArrayList<>();
            for (int i = 0; i < args.size(); i++) {
                String arg = args.get(i);
                if (arg.equals(GivenSettings.CONFIG_OPTION)) {
                    if (i + 1 == args.size()) {
                        throw new ConfigurationException(GivenSettings.CONFIG_OPTION + " must be followed by a"
                                + " properties file");
                    }
                    config = Optional.of(Path.of(args.get(++i)));
                } else if (arg.startsWith(GivenSettings.CONFIG_OPTION + "=")) {
                    config = Optional.of(Path.of(arg.substring(GivenSettings.CONFIG_OPTION.length() + 1)));
                } else {
                    rest.add(arg);
                }
            }
            if (!rest.isEmpty() && Commands.isCommand(rest.get(0))) {
                return new CommandLine(config, Optional.of(rest.get(0)), List.copyOf(rest.subList(1, rest.size())));
            }
            return new CommandLine(config, Optional.empty(), List.copyOf(rest));
        }
    }
}
