package lake;

/** Loads the uploaded Parquet into the Iceberg table; one implementation per engine, chosen by pipeline.engine. */
public interface LoadEngine {

    LoadResult load(LoadRequest request) throws Exception;
}
