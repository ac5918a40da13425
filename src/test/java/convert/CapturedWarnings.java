package convert;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Test support: collects the warnings and errors one class logs while it is open, from the lines the app's logging
 * writes to standard output ({@code 08:29:16.264 WARN  ParquetWriterProcessor   message}), which still reach the
 * console as well.
 */
final class CapturedWarnings implements AutoCloseable {

    private final String label;
    private final PrintStream console = System.out;
    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();

    CapturedWarnings(Class<?> source) {
        String name = source.getSimpleName();
        label = name.length() > 24 ? name.substring(name.length() - 24) : name;
        System.setOut(new PrintStream(new Tee(console, captured), true, StandardCharsets.UTF_8));
    }

    List<String> messages() {
        String prefix = label + " ";
        return captured.toString(StandardCharsets.UTF_8).lines()
                .filter(line -> line.length() > 19 && (line.startsWith("WARN  ", 13) || line.startsWith("ERROR ", 13)))
                .map(line -> line.substring(19))
                .filter(rest -> rest.startsWith(prefix))
                .map(rest -> rest.substring(24).strip())
                .toList();
    }

    @Override
    public void close() {
        System.setOut(console);
    }

    private static final class Tee extends OutputStream {

        private final OutputStream first;
        private final OutputStream second;

        Tee(OutputStream first, OutputStream second) {
            this.first = first;
            this.second = second;
        }

        @Override
        public synchronized void write(int b) throws IOException {
            first.write(b);
            second.write(b);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) throws IOException {
            first.write(b, off, len);
            second.write(b, off, len);
        }

        @Override
        public void flush() throws IOException {
            first.flush();
        }
    }
}
