package run;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

import config.PipelineConfig;
import core.Pipeline;
import org.apache.camel.Exchange;
import org.apache.camel.support.service.ServiceSupport;

/**
 * The step that gives a run its input's {@link InputIdentity}, as the run begins: a download has it already, hashed as
 * it arrived; a local file's is begun now, on a thread of its own, alongside the convert stage. As a start-up step of
 * a one-shot process ({@code pipeline.once} a local file), it begins that file's while the app starts.
 */
public final class IdentifyInput extends ServiceSupport {

    private final Optional<Path> oneShotFile;
    private volatile InputIdentity ahead;

    /** {@code once}: the dataset's {@code pipeline.once}, if any. */
    public IdentifyInput(Optional<String> once) {
        this.oneShotFile = once.filter(location -> !PipelineConfig.isHttp(location))
                .map(location -> Path.of(location).toAbsolutePath());
    }

    @Override
    protected void doStart() {
        oneShotFile.ifPresent(file -> ahead = InputIdentity.ahead(file));
    }

    public void identify(Exchange exchange) throws IOException {
        Path input = exchange.getProperty(Pipeline.INPUT_FILE, Path.class);
        if (InputIdentity.of(exchange) != null || input == null) {
            return;
        }
        InputIdentity begun = ahead;
        (begun != null && begun.isOf(input) ? begun : InputIdentity.ofFile(input)).attachTo(exchange);
    }
}
