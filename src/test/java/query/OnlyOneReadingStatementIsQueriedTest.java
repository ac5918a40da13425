package query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DuckDB's own parser, asked before any run, accepts one statement that only reads and refuses a second statement or
 * one that writes, attaches, installs or sets anything; refusing runs nothing.
 */
class OnlyOneReadingStatementIsQueriedTest {

    @TempDir
    Path dir;

    @Test
    void readingStatementsAreAccepted() {
        for (String sql : List.of("SELECT * FROM \"data\".\"products\"", "select 1;",
                "WITH a AS (SELECT 1) SELECT * FROM a", "FROM \"data\".\"products\" LIMIT 3", "VALUES (1), (2)",
                "SELECT 'a;b' -- ; COPY")) {
            assertEquals(Optional.empty(), ReadOnlySql.problem("pipeline.query.sql", sql), sql);
        }
    }

    @Test
    void aSecondStatementIsRefusedAndNotRun() {
        Path written = dir.resolve("x.csv");

        String problem = ReadOnlySql.problem("pipeline.query.sql",
                "SELECT 1; COPY (SELECT 42) TO '" + written + "'").orElseThrow();

        assertTrue(problem.startsWith("pipeline.query.sql must be one statement that only reads"), problem);
        assertTrue(problem.contains("COPY (SELECT 42) TO"), "the value is named: " + problem);
        assertFalse(Files.exists(written), "the check runs nothing");
    }

    @Test
    void statementsThatWriteOrChangeTheDatabaseAreRefused() {
        for (String sql : List.of("COPY (SELECT 42) TO '" + dir.resolve("y.csv") + "'",
                "ATTACH '" + dir.resolve("other.db") + "'", "INSTALL httpfs", "CREATE TABLE t (a INTEGER)",
                "INSERT INTO t VALUES (1)", "SET enable_external_access = true", "PRAGMA version")) {
            String problem = ReadOnlySql.problem("pipeline.query.sql", sql).orElseThrow(() -> new AssertionError(sql));
            assertTrue(problem.startsWith("pipeline.query.sql must be one statement that only reads"), problem);
        }
        assertFalse(Files.exists(dir.resolve("y.csv")));
        assertFalse(Files.exists(dir.resolve("other.db")));
    }

    @Test
    void sqlThatDoesNotParseIsNamed() {
        String problem = ReadOnlySql.problem("pipeline.query.sql", "SELEC 1").orElseThrow();

        assertTrue(problem.startsWith("pipeline.query.sql is not SQL DuckDB can parse (syntax error"), problem);
    }
}
