package docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * Every relative link of the README and docs/ leads somewhere: to a file of the repository and, when it names one, to
 * a heading of that page (anchors as GitHub makes them from the heading's text).
 */
class DocLinksResolveTest {

    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");
    private static final Pattern HEADING = Pattern.compile("^#{1,6} (.+)$");

    @Test
    void everyRelativeLinkLeadsToAFileAndHeading() throws IOException {
        List<String> problems = new ArrayList<>();
        int links = 0;
        for (Path page : ReadmeIsOneScreenfulPerQuestionTest.pages()) {
            List<String> lines = Files.readAllLines(page, StandardCharsets.UTF_8);
            boolean inCode = false;
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).startsWith("```")) {
                    inCode = !inCode;
                    continue;
                }
                Matcher link = LINK.matcher(lines.get(i));
                while (!inCode && link.find()) {
                    String target = link.group(1);
                    if (target.matches("[a-z]+:.*")) {
                        continue; // https:, mailto:
                    }
                    links++;
                    int hash = target.indexOf('#');
                    String file = hash < 0 ? target : target.substring(0, hash);
                    Path resolved = file.isEmpty() ? page : page.toAbsolutePath().getParent().resolve(file).normalize();
                    String where = page + " line " + (i + 1) + ": the link " + target;
                    if (!Files.exists(resolved)) {
                        problems.add(where + " leads to no file (" + resolved + ")");
                    } else if (hash >= 0 && !anchors(resolved).contains(target.substring(hash + 1))) {
                        problems.add(where + " names no heading of " + resolved.getFileName() + "; its anchors are "
                                     + anchors(resolved));
                    }
                }
            }
        }
        assertTrue(links > 10, "found only " + links + " relative links");
        assertEquals(List.of(), problems);
    }

    /** The anchors GitHub gives a page's headings: lower case, punctuation dropped, spaces as '-', repeats numbered. */
    static Set<String> anchors(Path page) throws IOException {
        Set<String> anchors = new HashSet<>();
        Map<String, Integer> seen = new HashMap<>();
        boolean inCode = false;
        for (String line : Files.readAllLines(page, StandardCharsets.UTF_8)) {
            if (line.startsWith("```")) {
                inCode = !inCode;
            }
            Matcher heading = HEADING.matcher(line);
            if (inCode || !heading.matches()) {
                continue;
            }
            String slug = heading.group(1).trim().toLowerCase(Locale.ROOT)
                    .replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-');
            int count = seen.merge(slug, 1, Integer::sum);
            anchors.add(count == 1 ? slug : slug + "-" + (count - 1));
        }
        return anchors;
    }
}
