package app;

import java.util.function.Supplier;

import config.PipelineConfig;
import config.S3SourceConfig;
import core.Pipeline;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.Registry;
import routes.S3SourceRoutes;
import run.RunReporter;
import software.amazon.awssdk.services.s3.S3Client;
import source.DownloadToFile;
import source.S3ObjectDownload;
import source.S3PrefixPasses;
import source.S3SourceObjects;

/** The beans of the S3 source of {@code pipeline.s3source.url}, which {@link S3SourceRoutes} uses. */
final class S3SourceBeans {

    private S3SourceBeans() {
    }

    /** Binds the source's beans for {@code config}'s dataset; {@code s3}: the pipeline's client, once it is built. */
    static void bind(CamelContext context, PipelineConfig config, S3SourceConfig source, RunReporter reporter,
                     Supplier<S3Client> s3) {
        Registry registry = context.getRegistry();
        String dataset = config.dataset();
        registry.bind(Pipeline.bean(dataset, S3SourceRoutes.CONFIG), source);
        S3PrefixPasses passes = new S3PrefixPasses(source.pollInterval());
        registry.bind(Pipeline.bean(dataset, S3SourceRoutes.PASSES), passes);
        registry.bind(Pipeline.bean(dataset, S3SourceRoutes.CLIENT), passes.watching(s3));
        registry.bind(Pipeline.bean(dataset, "s3SourceObjects"),
                new S3SourceObjects(source, s3, reporter, config.stateDir()));
        DownloadToFile download = new DownloadToFile(reporter, config.source().maxBytes(),
                config.source().maxDownloadTime());
        registry.bind(Pipeline.bean(dataset, "s3ObjectDownload"),
                new S3ObjectDownload(source, s3, download, config.source().maxBytes()));
    }
}
