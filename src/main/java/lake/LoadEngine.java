package lake;

/** Loads an uploaded Parquet file into the configured Iceberg table; one implementation per engine. */
public interface LoadEngine {

    LoadResult load(LoadRequest request) throws Exception;
}
