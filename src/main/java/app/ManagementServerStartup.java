package app;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

import config.ConfigurationException;
import observe.ManagementServer;
import org.apache.camel.CamelContext;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.spi.PropertiesComponent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides, before Camel Main configures it, whether the management server starts. A one-shot run
 * ({@code pipeline.once}) exits when its run ends: it starts no server and no metrics, so it neither loads the HTTP
 * server nor competes for the port. A long-running app refuses to start when its port is taken
 * ({@link #checkPortIsFree}), since Camel would only log a warning and run without its health and metrics endpoints.
 * Once started, it logs the address the server bound: with {@code camel.management.port=0}, the port the system gave
 * it.
 */
final class ManagementServerStartup extends MainListenerSupport {

    private static final Logger LOG = LoggerFactory.getLogger(ManagementServerStartup.class);

    @Override
    public void beforeConfigure(BaseMainSupport main) {
        if (main.getCamelContext() == null) {
            // camel-test-main configures a context of its own, which it does not show its listeners
            return;
        }
        PropertiesComponent properties = main.getCamelContext().getPropertiesComponent();
        if (isOneShot(properties)) {
            properties.addOverrideProperty("camel.management.enabled", "false");
            properties.addOverrideProperty("camel.metrics.enabled", "false");
        }
    }

    /**
     * Refuses the start when the server is to start and its port is taken; a start-up step of its own, after the
     * settings were checked and the data dir's lock taken (a second process on the data dir hears of the lock).
     */
    static void checkPortIsFree(CamelContext context) {
        PropertiesComponent properties = context.getPropertiesComponent();
        if ("true".equalsIgnoreCase(property(properties, "camel.management.enabled"))) {
            checkPortIsFree(property(properties, "camel.management.host"),
                    property(properties, "camel.management.port"));
        }
    }

    @Override
    public void afterStart(BaseMainSupport main) {
        if (main.getCamelContext() != null) {
            // Camel's own summary of these endpoints says 0.0.0.0 whatever the host it binds: logback-defaults.xml
            // quiets it, and this line names the address bound
            PropertiesComponent properties = main.getCamelContext().getPropertiesComponent();
            String paths = "true".equalsIgnoreCase(property(properties, "camel.metrics.enabled"))
                    ? "/observe/health, /observe/metrics" : "/observe/health";
            ManagementServer.address(main.getCamelContext())
                    .ifPresent(address -> LOG.info("Management server listening on {} ({})", address, paths));
        }
    }

    // the same rule as config.Datasets#oneShot, read before the settings are: pipeline.once, or a dataset's once
    static boolean isOneShot(PropertiesComponent properties) {
        if (!property(properties, "pipeline.once").isEmpty()) {
            return true;
        }
        for (String dataset : property(properties, "pipeline.datasets").split(",")) {
            if (!dataset.isBlank() && !property(properties, "pipeline.dataset." + dataset.trim() + ".once").isEmpty()) {
                return true;
            }
        }
        return false;
    }

    private static void checkPortIsFree(String host, String port) {
        int number;
        try {
            number = Integer.parseInt(port);
        } catch (NumberFormatException e) {
            throw new ConfigurationException("camel.management.port must be a port number, was " + port);
        }
        if (number == 0) {
            return;
        }
        try (ServerSocket probe = new ServerSocket(number, 1, InetAddress.getByName(host.isEmpty() ? "0.0.0.0" : host))) {
            probe.setReuseAddress(true);
        } catch (IOException e) {
            throw new ConfigurationException("camel.management.port " + number + " on camel.management.host " + host
                    + " is not available (" + e.getMessage() + "): set camel.management.port to a free port (0 picks"
                    + " one), or camel.management.enabled=false to run without /observe/health and /observe/metrics");
        }
    }

    private static String property(PropertiesComponent properties, String key) {
        return properties.resolveProperty(key).map(String::trim).orElse("");
    }
}
