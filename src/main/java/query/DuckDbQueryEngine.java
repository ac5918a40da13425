package query;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;

import config.QueryConfig;
import config.TableConfig;
import lake.IcebergTables;
import lake.SnapshotFiles;
import org.apache.iceberg.exceptions.NoSuchTableException;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;
import org.duckdb.DuckDBDriver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers SQL with an in-memory DuckDB over the table's current snapshot. Iceberg plans the scan; the snapshot's data
 * files are exposed to DuckDB as a view named like the table ({@code "data"."products"}), read by DuckDB's built-in
 * Parquet reader; rows the snapshot's position delete files name are left out by an anti-join on each row's file and
 * row number. The other datasets' tables that exist are views too, so a query may join them. No DuckDB extension
 * is installed or loaded, so the data files must be local.
 */
public final class DuckDbQueryEngine implements QueryEngine {

    private static final Logger LOG = LoggerFactory.getLogger(DuckDbQueryEngine.class);
    /** The column naming the data file a row was read from, where position deletes apply: no table's own. */
    private static final String ROW_FILE = "__iceberg_data_file";
    private static final DateTimeFormatter TIME = new DateTimeFormatterBuilder().appendPattern("HH:mm:ss")
            .appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).toFormatter(Locale.ROOT);
    private static final DateTimeFormatter TIMESTAMP = new DateTimeFormatterBuilder().appendPattern("uuuu-MM-dd ")
            .append(TIME).toFormatter(Locale.ROOT);
    private static final DateTimeFormatter TIMESTAMP_TZ = new DateTimeFormatterBuilder().append(TIMESTAMP)
            .appendOffset("+HH:mm", "+00").toFormatter(Locale.ROOT);

    private final TableConfig table;
    private final List<TableConfig> others;
    private final QueryConfig query;
    private final String runId;
    private Session session;

    public DuckDbQueryEngine(TableConfig table, QueryConfig query, String runId) {
        this(table, List.of(table), query, runId);
    }

    /** An engine over {@code table}, which the query is about, and every table of {@code tables} that exists. */
    public DuckDbQueryEngine(TableConfig table, List<TableConfig> tables, QueryConfig query, String runId) {
        this.table = table;
        this.others = tables.stream().filter(other -> !other.qualifiedName().equals(table.qualifiedName())).toList();
        this.query = query;
        this.runId = runId;
    }

    /**
     * DuckDB's driver loads its native library (70 MB) on first use: from beside its jar in the packaged app (the
     * build unpacks every platform's there, scripts/UnpackDuckDbLibrary.java), else unpacked from the jar to a
     * temporary file. Its driver class registers a JFR event type at load (DuckDB 2: a hundred JDK classes). On a
     * thread of its own at start-up that work overlaps the run's convert and load instead of delaying its query.
     */
    public static void loadNativeLibraryInBackground() {
        Thread loader = new Thread(() -> {
            try {
                Class.forName("org.duckdb.DuckDBNative", true, DuckDbQueryEngine.class.getClassLoader());
                Class.forName("org.duckdb.DuckDBDriver", true, DuckDbQueryEngine.class.getClassLoader());
            } catch (Throwable e) {
                // the query fails on the same class later; this line keeps the reason
                LOG.warn("DuckDB's native library did not load: {}", e.toString());
            }
        }, "duckdb-native-load");
        loader.setDaemon(true);
        loader.start();
    }

    /**
     * Runs {@code sql} on the snapshot {@link #countRows} counted, if it did, and prints its first rows; every row goes
     * to {@code <resultsDir>/<runId>.csv} when {@code pipeline.query.resultsDir} is set. The database is closed after.
     */
    @Override
    public QueryResult query(String sql) throws Exception {
        Session session = session();
        SnapshotFiles files = session.files();
        Optional<Path> resultsFile = query.resultsDir().map(dir -> dir.resolve(ResultsFiles.name(runId)));
        Path partial = resultsFile.map(file -> file.resolveSibling(file.getFileName() + ".part")).orElse(null);
        try (Connection connection = closing(session);
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(sql);
             Writer out = partial == null ? Writer.nullWriter() : newWriter(partial)) {
            List<String> columns = columns(rows.getMetaData());
            List<String> types = types(rows.getMetaData());
            CsvWriter csv = new CsvWriter(out);
            csv.write(columns);
            List<List<String>> printed = new ArrayList<>();
            long count = 0;
            while (rows.next()) {
                boolean shown = count < query.printRows();
                if (partial != null || shown) {
                    List<String> row = new ArrayList<>(columns.size());
                    for (int i = 1; i <= columns.size(); i++) {
                        row.add(text(rows, i, types.get(i - 1)));
                    }
                    csv.write(row);
                    if (shown) {
                        printed.add(row);
                    }
                }
                count++;
            }
            out.close();
            if (resultsFile.isPresent()) {
                Files.move(partial, resultsFile.get(), StandardCopyOption.REPLACE_EXISTING,
                        StandardCopyOption.ATOMIC_MOVE);
                LOG.info("Query over {} snapshot {} returned {} rows, written to {}",
                        table.qualifiedName(), files.snapshotId(), count, resultsFile.get());
            } else {
                LOG.info("Query over {} snapshot {} returned {} rows", table.qualifiedName(), files.snapshotId(),
                        count);
            }
            return new QueryResult(columns, count, resultsFile.orElse(null),
                    TextTable.render(columns, printed, count));
        } finally {
            if (partial != null) {
                Files.deleteIfExists(partial);
            }
        }
    }

    /**
     * The table's first {@code pipeline.query.printRows} rows, of the snapshot {@link #countRows} counted: DuckDB reads
     * as few of its data files as that takes, however large the table has grown. No file is written.
     */
    @Override
    public QueryResult preview(long tableRows) throws Exception {
        Session session = session();
        try (Connection connection = closing(session);
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT * FROM " + viewName(table) + " LIMIT "
                                                     + query.printRows())) {
            List<String> columns = columns(rows.getMetaData());
            List<String> types = types(rows.getMetaData());
            List<List<String>> printed = new ArrayList<>();
            while (rows.next()) {
                List<String> row = new ArrayList<>(columns.size());
                for (int i = 1; i <= columns.size(); i++) {
                    row.add(text(rows, i, types.get(i - 1)));
                }
                printed.add(row);
            }
            return new QueryResult(columns, tableRows, null, TextTable.render(columns, printed, tableRows));
        }
    }

    private static Writer newWriter(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        return Files.newBufferedWriter(file, StandardCharsets.UTF_8);
    }

    /** Counts the table's current snapshot, and keeps its database open for the run's query: one snapshot for both. */
    @Override
    public long countRows() throws Exception {
        try (Statement statement = session().connection().createStatement();
             ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM " + viewName(table))) {
            rows.next();
            return rows.getLong(1);
        }
    }

    @Override
    public void close() throws SQLException {
        if (session != null) {
            closing(session).close();
        }
    }

    /** The snapshot's files and an in-memory database with views over them, made at the first use. */
    private Session session() throws SQLException {
        if (session == null) {
            SnapshotFiles files = IcebergTables.currentFiles(table);
            session = new Session(files, connect(files));
        }
        return session;
    }

    /** The session's database, which the caller closes; the next use makes a new session. */
    private Connection closing(Session open) {
        session = null;
        return open.connection();
    }

    private record Session(SnapshotFiles files, Connection connection) {
    }

    private Connection connect(SnapshotFiles files) throws SQLException {
        Properties properties = new Properties();
        // rows come as DuckDB makes them, not the whole answer held in memory first
        properties.setProperty(DuckDBDriver.JDBC_STREAM_RESULTS, "true");
        Connection connection = DriverManager.getConnection("jdbc:duckdb:", properties);
        try (Statement statement = connection.createStatement()) {
            // the network is off: fail on anything that would need an extension rather than try to download it
            statement.execute("SET autoinstall_known_extensions = false");
            statement.execute("SET autoload_known_extensions = false");
            Set<String> schemas = new HashSet<>();
            createView(statement, schemas, table, files);
            for (TableConfig other : others) {
                SnapshotFiles otherFiles;
                try {
                    otherFiles = IcebergTables.currentFiles(other);
                } catch (NoSuchTableException e) {
                    LOG.debug("Table {} does not exist yet: the query cannot read it", other.qualifiedName());
                    continue;
                }
                createView(statement, schemas, other, otherFiles);
            }
            return connection;
        } catch (SQLException | RuntimeException e) {
            connection.close();
            throw e;
        }
    }

    private static void createView(Statement statement, Set<String> schemas, TableConfig table, SnapshotFiles files)
            throws SQLException {
        if (!files.equalityDeleteFiles().isEmpty()) {
            throw new IllegalStateException("Table " + table.qualifiedName() + " snapshot " + files.snapshotId()
                    + " has " + files.equalityDeleteFiles().size() + " equality delete file(s), for example "
                    + files.equalityDeleteFiles().get(0) + "; DuckDB applies position deletes only and would answer"
                    + " wrongly, so the query is refused. Compact the table or reload it in overwrite mode");
        }
        if (schemas.add(table.namespace())) {
            statement.execute("CREATE SCHEMA " + quote(table.namespace()));
        }
        statement.execute("CREATE VIEW " + viewName(table) + " AS " + viewQuery(files));
    }

    private static String viewQuery(SnapshotFiles files) {
        List<Types.NestedField> fields = files.schema().columns();
        if (files.dataFiles().isEmpty()) {
            return "SELECT " + fields.stream()
                    .map(f -> "CAST(NULL AS " + duckDbType(f.type()) + ") AS " + quote(f.name()))
                    .collect(Collectors.joining(", ")) + " LIMIT 0";
        }
        String columns = fields.stream().map(f -> "iceberg_rows." + quote(f.name())).collect(Collectors.joining(", "));
        if (files.deleteFiles().isEmpty()) {
            // by name: files written before an added column lack it and read it as NULL
            return "SELECT " + columns + " FROM read_parquet(" + localPaths(files.dataFiles())
                   + ", union_by_name = true) AS iceberg_rows";
        }
        // position deletes: the rows they name (the data file's location as Iceberg writes it, and the row's position)
        // are left out by an anti-join on the file each row was read from and its row number there
        String locations = files.dataFiles().stream()
                .map(location -> "(" + literal(location) + ", " + literal(localPath(location)) + ")")
                .collect(Collectors.joining(", "));
        return "SELECT " + columns + " FROM read_parquet(" + localPaths(files.dataFiles()) + ", union_by_name = true,"
               + " filename = '" + ROW_FILE + "', file_row_number = true) AS iceberg_rows"
               + " ANTI JOIN (SELECT files.path, deletes.pos FROM read_parquet(" + localPaths(files.deleteFiles())
               + ") AS deletes JOIN (VALUES " + locations + ") AS files(location, path)"
               + " ON deletes.file_path = files.location) AS deleted"
               + " ON iceberg_rows." + ROW_FILE + " = deleted.path AND iceberg_rows.file_row_number = deleted.pos";
    }

    private static String localPaths(List<String> locations) {
        return locations.stream().map(DuckDbQueryEngine::localPath).map(DuckDbQueryEngine::literal)
                .collect(Collectors.joining(", ", "[", "]"));
    }

    private static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }

    static String localPath(String location) {
        if (location.startsWith("file://")) {
            return location.substring("file://".length());
        }
        if (location.startsWith("file:")) {
            return location.substring("file:".length());
        }
        if (location.startsWith("/")) {
            return location;
        }
        throw new IllegalStateException("Data file " + location + " is not on the local file system; DuckDB runs "
                                        + "without the httpfs extension and can read local warehouses only");
    }

    private static String duckDbType(Type type) {
        return switch (type.typeId()) {
            case BOOLEAN -> "BOOLEAN";
            case INTEGER -> "INTEGER";
            case LONG -> "BIGINT";
            case FLOAT -> "REAL";
            case DOUBLE -> "DOUBLE";
            case DATE -> "DATE";
            case TIME -> "TIME";
            case TIMESTAMP -> ((Types.TimestampType) type).shouldAdjustToUTC() ? "TIMESTAMPTZ" : "TIMESTAMP";
            case STRING -> "VARCHAR";
            case UUID -> "UUID";
            case FIXED, BINARY -> "BLOB";
            case DECIMAL -> "DECIMAL(" + ((Types.DecimalType) type).precision() + ", "
                            + ((Types.DecimalType) type).scale() + ")";
            default -> throw new IllegalStateException("Column type " + type + " of an empty table has no DuckDB "
                                                       + "equivalent here");
        };
    }

    /**
     * A value as text: times with their seconds always ({@code 10:00:00}, not the driver's {@code 10:00}), a fraction
     * only when there is one, and a time zone's offset as DuckDB writes it ({@code 2024-01-01 10:00:00+00}).
     */
    private static String text(ResultSet rows, int column, String type) throws SQLException {
        String text = rows.getString(column);
        TemporalAccessor value = text == null ? null : switch (type) {
            case "TIMESTAMP", "TIMESTAMP_MS", "TIMESTAMP_NS", "TIMESTAMP_S" -> rows.getObject(column, LocalDateTime.class);
            case "TIMESTAMP WITH TIME ZONE" -> rows.getObject(column, OffsetDateTime.class);
            // the driver gives a TIME only as text, LocalTime's own (10:00 for 10:00:00)
            case "TIME" -> LocalTime.parse(text);
            default -> null;
        };
        if (value == null) {
            return text;
        }
        return (value instanceof OffsetDateTime ? TIMESTAMP_TZ : value instanceof LocalTime ? TIME : TIMESTAMP)
                .format(value);
    }

    private static List<String> types(ResultSetMetaData meta) throws SQLException {
        List<String> types = new ArrayList<>();
        for (int i = 1; i <= meta.getColumnCount(); i++) {
            types.add(meta.getColumnTypeName(i));
        }
        return types;
    }

    private static List<String> columns(ResultSetMetaData meta) throws SQLException {
        List<String> columns = new ArrayList<>();
        for (int i = 1; i <= meta.getColumnCount(); i++) {
            columns.add(meta.getColumnLabel(i));
        }
        return columns;
    }

    private static String viewName(TableConfig table) {
        return quote(table.namespace()) + "." + quote(table.name());
    }

    private static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }
}
