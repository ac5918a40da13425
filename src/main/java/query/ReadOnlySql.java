package query;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import core.Printable;

/**
 * Checks, before any run, that a query of the DuckDB engine is one statement that only reads, as DuckDB's own parser
 * sees it: {@code json_serialize_sql} parses without running anything and serializes SELECT statements only (a
 * {@code SELECT}, {@code WITH ... SELECT}, {@code VALUES}, {@code FROM ...}, {@code DESCRIBE} or {@code SUMMARIZE}),
 * so {@code COPY ... TO}, {@code ATTACH}, {@code INSTALL}, {@code CREATE}, {@code INSERT}, {@code SET} or a second
 * statement after a {@code ;} never reach the database the query runs in.
 */
public final class ReadOnlySql {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ReadOnlySql() {
    }

    /** What is wrong with {@code sql} as the value of {@code property}, if anything. */
    public static Optional<String> problem(String property, String sql) {
        JsonNode parsed;
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:");
             PreparedStatement statement = connection.prepareStatement("SELECT json_serialize_sql(CAST(? AS VARCHAR))")) {
            statement.setString(1, sql);
            try (ResultSet result = statement.executeQuery()) {
                result.next();
                parsed = JSON.readTree(result.getString(1));
            }
        } catch (SQLException | java.io.IOException | RuntimeException | LinkageError e) {
            return Optional.of(property + " could not be checked by DuckDB's parser (" + e.getMessage() + "), was "
                               + shown(sql));
        }
        if (parsed.path("error").asBoolean(false)) {
            String error = parsed.path("error_message").asText("");
            if (error.startsWith("Only SELECT statements")) {
                return Optional.of(property + " must be one statement that only reads (SELECT, WITH ... SELECT,"
                                   + " VALUES, FROM ...): COPY, ATTACH, INSTALL, CREATE, INSERT, SET and the like are"
                                   + " refused, and so is a second statement after a ';'; was " + shown(sql));
            }
            return Optional.of(property + " is not SQL DuckDB can parse (" + error + "), was " + shown(sql));
        }
        int statements = parsed.path("statements").size();
        if (statements != 1) {
            return Optional.of(property + " must be one statement, it holds " + statements + "; was " + shown(sql));
        }
        return Optional.empty();
    }

    private static String shown(String sql) {
        return "'" + Printable.escape(sql) + "'";
    }
}
