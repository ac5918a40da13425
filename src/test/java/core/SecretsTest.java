package core;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** What {@link Secrets} masks in URLs, free text and settings, and what it leaves alone. */
class SecretsTest {

    @Test
    void urlLosesUserInfoAndQuery() {
        assertEquals("https://***@example.org:8443/a/products.csv?***",
                Secrets.url("https://bob:pw@example.org:8443/a/products.csv?token=abc&x=1"));
        assertEquals("http://127.0.0.1/products.csv", Secrets.url("http://127.0.0.1/products.csv"));
        assertEquals("products.csv", Secrets.url("products.csv"));
    }

    @Test
    void textMasksUrlsJdbcUrisAndSecretPairs() {
        assertEquals("HTTP operation failed invoking http://h/p.csv?*** with statusCode: 500",
                Secrets.text("HTTP operation failed invoking http://h/p.csv?token=X1 with statusCode: 500"));
        assertEquals("jdbc:postgresql://***@db:5432/lake", Secrets.text("jdbc:postgresql://u:pw@db:5432/lake"));
        assertEquals("jdbc:sqlserver://db;user=u;password=***", Secrets.text("jdbc:sqlserver://db;user=u;password=pw"));
        assertEquals("[--conf, spark.hadoop.fs.s3a.secret.key=***, --conf, spark.ui.enabled=false]",
                Secrets.text("[--conf, spark.hadoop.fs.s3a.secret.key=abc, --conf, spark.ui.enabled=false]"));
        assertEquals("s3://bucket/data/products.parquet", Secrets.text("s3://bucket/data/products.parquet"));
    }

    @Test
    void rememberedValuesAreMaskedAnywhere() {
        Secrets.remember("Bearer tok-4242");
        assertEquals("sent ***", Secrets.text("sent Bearer tok-4242"));
    }

    @Test
    void settingsAreMaskedByNameOrContent() {
        assertEquals("X-Api-Token=***,Accept=***", Secrets.property("pipeline.source.headers", "X-Api-Token=t,Accept=csv"));
        assertEquals("***", Secrets.property("pipeline.athena.secretAccessKey", "abc"));
        assertEquals("data/{dataset}.parquet", Secrets.property("pipeline.s3.key", "data/{dataset}.parquet"));
        assertEquals("spark.x.password=***", Secrets.property("pipeline.spark.conf", "spark.x.password=abc"));
    }

    @Test
    void aSettingsNameSaysWhichPartsOfItsValueAreSecret() {
        assertEquals(List.of("Bearer t", "csv"),
                Secrets.secretParts("pipeline.source.headers", "Authorization=Bearer t, Accept=csv"));
        assertEquals(List.of("abc"), Secrets.secretParts("camel.component.aws2-s3.secretKey", "abc"));
        assertEquals(List.of(), Secrets.secretParts("pipeline.s3.key", "data/{dataset}.parquet"));
    }
}
