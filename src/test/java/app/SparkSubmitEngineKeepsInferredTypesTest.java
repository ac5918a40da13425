package app;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;

import com.fasterxml.jackson.databind.JsonNode;
import config.TableConfig;
import lake.IcebergTables;
import org.apache.iceberg.Table;
import org.junit.jupiter.api.Test;
import support.LocalSpark;
import support.PipelineTestSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A CSV without a schema loaded by the spark-submit engine, which reads the converted Parquet: wall-clock times land
 * as Iceberg {@code timestamp}, instants as {@code timestamptz}, decimals with their scale, and each reads back as
 * written.
 */
class SparkSubmitEngineKeepsInferredTypesTest extends PipelineTestSupport {

    @Override
    protected Properties testProperties() {
        Path csv;
        try {
            Path dir = Files.createTempDirectory(Files.createDirectories(Path.of("target", "test-data")), "spark-");
            csv = Files.writeString(dir.resolve("rides.csv"), """
                    ride_id,started_at,docked_at,distance_km,member,rating
                    20260301000001,2026-03-01 08:15:00,2026-03-01T08:27:00+01:00,3.125,true,4
                    20260301000002,2026-03-29 02:30:00.000001,2026-03-01T09:00:00Z,-0.500,false,
                    """);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Properties p = LocalSpark.engineProperties();
        p.setProperty("pipeline.once", csv.toAbsolutePath().toString());
        p.setProperty("pipeline.convert.schema", "");
        p.setProperty("pipeline.table.name", "rides");
        p.setProperty("pipeline.query.sql", "SELECT * FROM \"data\".\"rides\" ORDER BY ride_id");
        p.setProperty("pipeline.query.resultsDir", dataDir.resolve("results").toString());
        return p;
    }

    @Test
    void timestampsWithAndWithoutZoneAndDecimalsKeepTheirTypes() throws Exception {
        JsonNode report = awaitReports(1, Duration.ofMinutes(3)).get(0);
        assertEquals("SUCCEEDED", report.get("status").asText(), report.toString());

        Table table = IcebergTables.load(new TableConfig(TableConfig.Catalog.HADOOP, dataDir.resolve("warehouse"),
                null, "data", "rides", TableConfig.Mode.OVERWRITE, TableConfig.SchemaEvolution.NONE));
        assertEquals(List.of("ride_id long", "started_at timestamp", "docked_at timestamptz",
                "distance_km decimal(18, 3)", "member boolean", "rating int"),
                table.schema().columns().stream().map(c -> c.name() + " " + c.type()).toList());
        assertEquals(List.of(
                List.of("20260301000001", "2026-03-01 08:15:00", "2026-03-01 07:27:00+00", "3.125", "true", "4"),
                List.of("20260301000002", "2026-03-29 02:30:00.000001", "2026-03-01 09:00:00+00", "-0.500", "false",
                        "")), resultRows(report));
    }
}
