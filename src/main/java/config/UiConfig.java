package config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * {@code pipeline.ui.*}: the web pages of runs and datasets on the management server ({@code camel.management.*}), on
 * while that server is. Bound to a loopback address, anyone on the machine may look; bound to any other, the pages are
 * refused to everyone without {@code pipeline.ui.token}, and the app refuses to start without one.
 *
 * @param enabled whether the pages are served: {@code pipeline.ui.enabled} and the management server on
 * @param token   the secret every request must carry (a bearer token, or the password of HTTP basic), if set
 */
public record UiConfig(boolean enabled, Optional<String> token) {

    public static UiConfig from(Settings s) {
        boolean wanted = s.bool("pipeline.ui.enabled");
        Optional<String> token = s.optional("pipeline.ui.token");
        boolean management = s.bool("camel.management.enabled");
        if (wanted && management && token.isEmpty()) {
            String host = s.optional("camel.management.host").orElse("0.0.0.0");
            if (!isLoopback(host)) {
                s.problem("camel.management.host=" + host + " is not a loopback address, and the web UI"
                        + " (pipeline.ui.enabled) would show runs and retry inputs for anyone who reaches it: set"
                        + " pipeline.ui.token (or PIPELINE_UI_TOKEN in the environment), or pipeline.ui.enabled=false,"
                        + " or camel.management.host=127.0.0.1");
            }
        }
        return new UiConfig(wanted && management, token);
    }

    private static boolean isLoopback(String host) {
        try {
            for (InetAddress address : InetAddress.getAllByName(host)) {
                if (!address.isLoopbackAddress()) {
                    return false;
                }
            }
            return true;
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
