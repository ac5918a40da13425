package observe;

import java.net.URI;
import java.util.Optional;

import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.main.ManagementHttpServer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;

/**
 * Where the management server ({@code camel.management.*}) listens, as bound: with {@code camel.management.port=0},
 * the port the system gave it, which Camel's own endpoints summary prints with the host 0.0.0.0.
 */
public final class ManagementServer {

    private ManagementServer() {
    }

    /**
     * {@code http://<host>:<port>} of the running management server (its endpoints are under
     * {@code camel.management.path}); empty when it is off or not listening.
     */
    public static Optional<URI> address(CamelContext context) {
        ManagementHttpServer management = context.hasService(ManagementHttpServer.class);
        if (management == null) {
            return Optional.empty();
        }
        // the Vert.x server the management server runs on, found as Camel itself finds it: by its configured port
        for (VertxPlatformHttpServer server : context.hasServices(VertxPlatformHttpServer.class)) {
            if (server.getConfigurationPort() == management.getPort() && server.getServer() != null
                && server.getPort() > 0) {
                String host = server.getHost().contains(":") ? "[" + server.getHost() + "]" : server.getHost();
                return Optional.of(URI.create("http://" + host + ":" + server.getPort()));
            }
        }
        return Optional.empty();
    }
}
