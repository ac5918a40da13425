package app;

import java.util.Properties;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.junit.jupiter.api.Test;
import support.PipelineTestSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A one-shot run of the bundled sample lands a Parquet object in the embedded S3 with the 20 rows, typed. */
class OneShotFileRunWritesTypedParquetTest extends PipelineTestSupport {

    @Override
    protected Properties testProperties() {
        Properties p = new Properties();
        p.setProperty("pipeline.once", samplePath().toString());
        return p;
    }

    @Test
    void sampleLandsAsTypedParquet() throws Exception {
        JsonNode report = awaitReport();

        assertEquals("SUCCEEDED", report.get("status").asText(), report.toString());
        assertEquals("once", report.get("trigger").asText());
        assertEquals(20, report.get("rowsRead").asLong());
        assertEquals(20, report.get("rowsWritten").asLong());
        assertEquals(0, report.get("rowsRejected").asLong());
        String parquetUri = report.get("parquetUri").asText();
        assertEquals("s3://s3-general-purpose-ecommerce/data/products.parquet", parquetUri);
        assertTrue(report.get("stageMs").has("convert"), report.toString());
        assertTrue(report.get("stageMs").has("upload"), report.toString());

        assertEquals(sampleRows(), asRows(readParquet(parquetUri)));
        assertEquals(PrimitiveTypeName.INT32,
                parquetSchema(parquetUri).getType("product_id").asPrimitiveType().getPrimitiveTypeName());
        assertEquals(0, context.getRegistry().lookupByNameAndType("oneShotCompletion", OneShotCompletion.class)
                .exitCode());
    }
}
