package query;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The rotation of {@code pipeline.query.resultsDir}: runs started in the same second have run ids that sort in any
 * order, so the newest files are the last written, and the file of the run that rotates is never among the removed.
 */
class ResultsFilesKeepTheLastWrittenTest {

    @TempDir
    Path dir;

    @Test
    void theLastWrittenAreKeptWhateverTheirNamesSay() throws IOException {
        write("20261208-002943-e134.csv", 1);
        write("20261208-002943-b6ab.csv", 2);
        write("20261208-002943-0a01.csv", 3);
        write("notes.csv", 0);

        List<Path> removed = ResultsFiles.keepNewest(dir, 2, dir.resolve("20261208-002943-0a01.csv"));

        assertEquals(List.of(dir.resolve("20261208-002943-e134.csv")), removed);
        assertEquals(List.of("20261208-002943-0a01.csv", "20261208-002943-b6ab.csv", "notes.csv"), left());
    }

    @Test
    void theFileOfTheRunThatRotatesIsKeptEvenIfAnotherWasWrittenLater() throws IOException {
        write("20261208-002943-0001.csv", 1);
        write("20261208-002943-0002.csv", 3);
        write("20261208-002943-0003.csv", 2);

        ResultsFiles.keepNewest(dir, 1, dir.resolve("20261208-002943-0003.csv"));

        assertEquals(List.of("20261208-002943-0003.csv"), left());
    }

    @Test
    void noneIsRemovedWhenKeepIsZero() throws IOException {
        write("20261208-002943-0001.csv", 1);
        write("20261208-002943-0002.csv", 2);

        assertEquals(List.of(), ResultsFiles.keepNewest(dir, 0, null));
        assertEquals(2, left().size());
    }

    private void write(String name, int minute) throws IOException {
        Path file = Files.writeString(dir.resolve(name), "a\n1\n");
        Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2026-12-08T00:00:00Z").plusSeconds(60L * minute)));
    }

    private List<String> left() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }
}
