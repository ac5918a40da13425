package run;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import core.Pipeline;
import org.apache.camel.Exchange;

/**
 * The files a run works with, as its exchange carries them: the input, where it came from, and the temporary files it
 * made. The reporter moves the input and deletes the rest when the run ends.
 */
public record RunFiles(Path input, boolean downloaded, Path inboxFile, List<Path> workFiles) {

    /** A run that had no file yet (it failed before its input was read, or it is built by hand). */
    public static RunFiles none() {
        return new RunFiles(null, false, null, List.of());
    }

    public static RunFiles of(Exchange exchange) {
        List<?> work = exchange.getProperty(Pipeline.WORK_FILES, List.of(), List.class);
        return new RunFiles(
                exchange.getProperty(Pipeline.INPUT_FILE, Path.class),
                exchange.getProperty(Pipeline.INPUT_DOWNLOADED, false, Boolean.class),
                exchange.getProperty(Pipeline.INBOX_FILE, Path.class),
                work.stream().map(Path.class::cast).toList());
    }

    /** Adds a temporary file of the run to its exchange, to be deleted when the run ends; a null file is none. */
    @SuppressWarnings("unchecked")
    public static void addWorkFile(Exchange exchange, Path file) {
        if (file == null) {
            return;
        }
        List<Path> files = exchange.getProperty(Pipeline.WORK_FILES, List.class);
        if (files == null) {
            files = new ArrayList<>();
            exchange.setProperty(Pipeline.WORK_FILES, files);
        }
        files.add(file);
    }
}
