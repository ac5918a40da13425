package routes;

import java.util.HashSet;
import java.util.Set;

import config.Datasets;
import config.PipelineConfig;
import config.TableConfig;
import core.Pipeline;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.endpoint.EndpointRouteBuilder;

/**
 * The scheduled maintenance of each table of a local or JDBC catalog, when {@code pipeline.table.maintenance.enabled}:
 * every {@code pipeline.table.maintenance.interval}, from one interval after the start, the table's maintenance takes
 * its turn with the table's runs and compacts, expires and removes what {@code maintain} would. A failure is logged and
 * tried again at the next time; it fails no run. A table in S3 Tables is maintained by S3 Tables; a one-shot process
 * maintains nothing.
 */
public final class MaintenanceRoutes extends EndpointRouteBuilder {

    @Override
    public void configure() {
        Datasets datasets = getContext().getRegistry().lookupByNameAndType(Datasets.BEAN, Datasets.class);
        if (datasets.oneShot()) {
            return;
        }
        onException(Exception.class)
                .handled(true)
                .log(LoggingLevel.ERROR, "The maintenance of ${exchangeProperty." + Pipeline.DATASET + "}'s table"
                                         + " failed, tried again at its next time: ${exception.message}");
        Set<String> tables = new HashSet<>();
        for (PipelineConfig config : datasets.all()) {
            TableConfig table = config.table();
            // two datasets of one table: one schedule
            if (table.maintenance().enabled() && table.catalog() != TableConfig.Catalog.S3TABLES
                && tables.add(table.qualifiedName())) {
                maintenance(config);
            }
        }
    }

    private void maintenance(PipelineConfig config) {
        String dataset = config.dataset();
        long interval = config.table().maintenance().interval().toMillis();
        from(timer(dataset + "-maintenance").period(interval).delay(interval))
                .routeId(dataset + "-maintenance")
                .setProperty(Pipeline.DATASET, constant(dataset))
                .bean(Pipeline.bean(dataset, "runQueue"), "enterMaintenance")
                .bean(Pipeline.bean(dataset, "tableMaintenance"), "maintain");
    }
}
