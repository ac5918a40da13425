package docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The README stays a page a user reads, not a reference: at most 300 lines, a Quick start of the two commands, and no
 * table cell in it or in docs/ longer than a reader takes in at a glance. Reference material belongs in docs/.
 */
class ReadmeIsOneScreenfulPerQuestionTest {

    private static final Path README = Path.of("README.md");
    private static final int MAX_LINES = 300;
    private static final int MAX_CELL = 200;
    private static final List<String> QUICK_START = List.of(
            "mvn -B -DskipTests package exec:exec@sample",
            "scripts/test.sh");

    @Test
    void theReadmeHasAtMost300Lines() throws IOException {
        int lines = Files.readAllLines(README, StandardCharsets.UTF_8).size();
        assertTrue(lines <= MAX_LINES, "README.md has " + lines + " lines, more than " + MAX_LINES + ": move reference"
                + " material (settings, AWS, architecture, figures) to docs/ and link to it");
    }

    @Test
    void theQuickStartHasExactlyTheTwoCommands() throws IOException {
        List<String> commands = new ArrayList<>();
        boolean inSection = false;
        boolean inCode = false;
        for (String line : Files.readAllLines(README, StandardCharsets.UTF_8)) {
            if (line.startsWith("```")) {
                inCode = !inCode;
            } else if (!inCode && line.startsWith("## ")) {
                inSection = line.equals("## Quick start");
            } else if (inSection && inCode && !line.isBlank()) {
                commands.add(line.trim());
            }
        }
        assertEquals(QUICK_START, commands, "the code of README.md's \"## Quick start\" must be the build-and-sample"
                + " command and the test command, nothing else; other commands go in the sections after it");
    }

    @Test
    void noTableCellIsLongerThan200Characters() throws IOException {
        List<String> problems = new ArrayList<>();
        for (Path page : pages()) {
            List<String> lines = Files.readAllLines(page, StandardCharsets.UTF_8);
            for (int i = 0; i < lines.size(); i++) {
                if (!lines.get(i).startsWith("|")) {
                    continue;
                }
                for (String cell : lines.get(i).split("(?<!\\\\)\\|")) {
                    if (cell.trim().length() > MAX_CELL) {
                        problems.add(page + " line " + (i + 1) + ": a cell of " + cell.trim().length()
                                     + " characters; say the rest below the table");
                    }
                }
            }
        }
        assertEquals(List.of(), problems);
    }

    static List<Path> pages() throws IOException {
        List<Path> pages = new ArrayList<>(List.of(README));
        try (Stream<Path> docs = Files.list(Path.of("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        assertTrue(pages.size() > 1, "no pages in docs/");
        return pages;
    }
}
