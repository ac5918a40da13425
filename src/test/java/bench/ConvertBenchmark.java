package bench;

import java.io.BufferedOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

import com.sun.management.GarbageCollectionNotificationInfo;
import config.ConvertConfig;
import config.Settings;
import convert.AvroSchemas;
import core.ConversionResult;
import convert.CsvFormats;
import convert.CsvBytes;
import convert.ParquetWriterProcessor;
import org.apache.avro.Schema;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.DataFormat;
import org.apache.camel.support.DefaultExchange;
import org.apache.camel.support.service.ServiceHelper;

/**
 * Times the convert stage against DuckDB's {@code COPY ... TO ... (FORMAT parquet)} on the same generated products
 * CSV, DuckDB being the newest release, from Python ({@link DuckDbReference}): warm (our converter in this JVM, DuckDB
 * in one long-lived process, each after a warm-up, alternating rounds) and cold (the first conversion in a fresh JVM
 * started the way {@code bin/s3tables-pipeline} starts a one-shot, alternating with DuckDB's first COPY in a fresh
 * Python process); checks both Parquet files hold the same rows. A benchmark, not a test: it asserts no time.
 * {@code --duckdb-python} names another Python with DuckDB. docs/performance.md runs it.
 */
public final class ConvertBenchmark {

    private static final String HEADER = "product_id,product_name,product_category,brand\n";
    private static final String[] ADJECTIVES = {"Ergonomic", "Rustic", "Sleek", "Compact", "Smart", "Classic",
        "Durable", "Portable", "Deluxe", "Modern", "Vintage", "Premium"};
    private static final String[] NOUNS = {"Lamp", "Chair", "Kettle", "Mat", "Pan", "Speaker", "Backpack", "Watch",
        "Blender", "Jacket", "Desk", "Camera", "Headset", "Bottle"};
    private static final String[] MULTIBYTE_NOUNS = {"Crème Brûlée Torch", "Kaffeemühle", "Żelazko", "抹茶 Whisk",
        "Čajník", "Σκεύος", "Чайник", "Küchenwaage"};
    private static final String[] CATEGORIES = {"Electronics", "Home", "Kitchen", "Sports", "Outdoors", "Fashion",
        "Office", "Toys", "Beauty", "Garden"};
    private static final String[] BRANDS = {"BenQ", "Lodge", "Manduka", "Sony", "Philips", "Bosch", "Nike", "Adidas",
        "Logitech", "Dyson", "Osprey", "Casio", "Anker", "Tefal", "Braun", "Garmin"};

    private ConvertBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 3 && args[0].equals("--cold-child")) {
            coldChild(Path.of(args[1]), Path.of(args[2]));
            return;
        }
        long rows = longArg(args, "--rows", 5_000_000);
        long seed = longArg(args, "--seed", 42);
        int rounds = countArg(args, "--rounds", 5, 1);
        int coldRounds = countArg(args, "--cold-rounds", 3, 0);
        Path python = Path.of(stringArg(args, "--duckdb-python", DuckDbReference.DEFAULT_PYTHON.toString()));
        Path dir = Files.createTempDirectory("convert-bench-");
        try {
            Path csv = dir.resolve("in.csv");
            long started = System.nanoTime();
            generateProducts(csv, rows, seed);
            long bytes = Files.size(csv);
            System.out.printf(Locale.ROOT, "generated %,d rows, %,d bytes (seed %d) in %.1f s; %d cores, "
                    + "max heap %d MB, load average %.2f%n", rows, bytes, seed, seconds(System.nanoTime() - started),
                    Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20, loadAverage());
            double warm = compare(csv, dir, rows, bytes, rounds, python);
            if (coldRounds == 0) {
                System.out.printf(Locale.ROOT, "ratio ours/duckdb: warm %.2f (median of %d rounds), cold not measured "
                        + "(--cold-rounds 0)%n", warm, rounds);
                return;
            }
            double cold = compareCold(csv, dir, coldRounds, python);
            System.out.printf(Locale.ROOT, "ratio ours/duckdb: warm %.2f (median of %d rounds), cold %.2f (median of "
                    + "%d fresh JVMs each)%n", warm, rounds, cold, coldRounds);
        } finally {
            deleteTree(dir);
        }
    }

    /** Deterministic rows of the walkthrough's four columns, about 43 bytes each, plain ASCII and never quoted. */
    public static void generate(Path csv, long rows, long seed) throws IOException {
        write(csv, rows, seed, false);
    }

    /**
     * The products CSV of the benchmarks: the rows of {@link #generate}, but in 1 row of 50 the name is quoted and
     * holds a comma, and in 1 of 20 it holds multi-byte UTF-8.
     */
    public static void generateProducts(Path csv, long rows, long seed) throws IOException {
        write(csv, rows, seed, true);
    }

    private static void write(Path csv, long rows, long seed, boolean quirks) throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(csv), 1 << 16)) {
            out.write(HEADER.getBytes(StandardCharsets.US_ASCII));
            StringBuilder line = new StringBuilder(64);
            for (long id = 1; id <= rows; id++) {
                boolean quoted = quirks && id % 50 == 0;
                boolean multibyte = quirks && id % 20 == 7;
                line.setLength(0);
                line.append(id).append(',').append(quoted ? "\"" : "")
                        .append(ADJECTIVES[random.nextInt(ADJECTIVES.length)]).append(quoted ? ", " : " ")
                        .append(multibyte ? MULTIBYTE_NOUNS[(int) (id % MULTIBYTE_NOUNS.length)]
                                : NOUNS[random.nextInt(NOUNS.length)]).append(' ')
                        .append(random.nextInt(100_000)).append(quoted ? "\"," : ",")
                        .append(CATEGORIES[random.nextInt(CATEGORIES.length)]).append(',')
                        .append(BRANDS[random.nextInt(BRANDS.length)]).append('\n');
                out.write(line.toString().getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    private static double compare(Path csv, Path dir, long rows, long bytes, int rounds, Path python)
            throws Exception {
        HeapWatch heap = new HeapWatch();
        Path ours = dir.resolve("ours");
        Path duck = dir.resolve("duckdb.parquet");
        List<Double> oursSeconds = new ArrayList<>();
        List<Double> duckSeconds = new ArrayList<>();
        List<Double> ratios = new ArrayList<>();
        List<Double> oursCpu = new ArrayList<>();
        List<Double> duckCpu = new ArrayList<>();
        long oursPeak = 0;
        long oursLive = 0;
        Path oursFile = null;
        try (CamelContext context = new DefaultCamelContext();
             DuckDbReference duckdb = DuckDbReference.startWarm(python, dir.resolve("duckdb-warm.log"))) {
            context.start();
            System.out.printf(Locale.ROOT, "reference: DuckDB %s (Python, %s), threads=2%n", duckdb.version(),
                    python);
            OurConverter converter = new OurConverter(context, ours);
            // one unmeasured warm-up of each: class loading and JIT are not what is compared
            deleteTree(ours);
            converter.convert(csv);
            duckdb.copy(csv, duck);
            for (int round = 1; round <= rounds; round++) {
                deleteTree(ours);
                Files.deleteIfExists(duck);
                // alternate which side runs first, so neither always runs on a warmer page cache or a quieter machine
                boolean oursFirst = round % 2 == 1;
                double o = 0;
                double d = 0;
                double oc = 0;
                double dc = 0;
                for (int side = 0; side < 2; side++) {
                    if ((side == 0) == oursFirst) {
                        heap.reset();
                        long cpu = processCpuNanos();
                        long t = System.nanoTime();
                        oursFile = converter.convert(csv);
                        o = seconds(System.nanoTime() - t);
                        oc = seconds(processCpuNanos() - cpu);
                        oursPeak = Math.max(oursPeak, heap.peakUsed());
                        oursLive = Math.max(oursLive, heap.maxLiveAfterGc());
                    } else {
                        double[] copy = duckdb.copy(csv, duck);
                        d = copy[0];
                        dc = copy[1];
                    }
                }
                oursSeconds.add(o);
                duckSeconds.add(d);
                ratios.add(o / d);
                oursCpu.add(oc);
                duckCpu.add(dc);
                System.out.printf(Locale.ROOT, "round %d: ours %.3f s (cpu %.2f s), duckdb %.3f s (cpu %.2f s), ratio "
                        + "%.2f (load average %.2f)%n", round, o, oc, d, dc, o / d, loadAverage());
            }
            String same = sameRows(oursFile, duck, rows);
            heap.close();
            double om = median(oursSeconds);
            double dm = median(duckSeconds);
            double mb = bytes / 1e6;
            System.out.printf(Locale.ROOT, "ours:   median %.3f s (cpu %.2f s), %,.0f rows/s, %.1f MB/s, peak heap used"
                    + " %d MB, max live after GC %d MB, parquet %,d bytes%n", om, median(oursCpu), rows / om, mb / om,
                    oursPeak >> 20, oursLive >> 20, Files.size(oursFile));
            System.out.printf(Locale.ROOT, "duckdb: median %.3f s (cpu %.2f s), %,.0f rows/s, %.1f MB/s, peak RSS of "
                    + "its process %d MB, parquet %,d bytes%n", dm, median(duckCpu), rows / dm, mb / dm,
                    duckdb.peakRssMb(), Files.size(duck));
            System.out.printf(Locale.ROOT, "same rows: %s%n", same);
            System.out.printf(Locale.ROOT, "median ratio ours/duckdb: %.2f over %d rounds (load average %.2f)%n",
                    median(ratios), rounds, loadAverage());
            return median(ratios);
        }
    }

    /**
     * The first conversion in a fresh JVM, as a one-shot run gets it: each side in a JVM of its own, alternating, with
     * the launcher's one-shot options ({@code bin/jvm.options}, {@code bin/jvm-oneshot.options}) and the build's AppCDS
     * archive when there is one.
     */
    private static double compareCold(Path csv, Path dir, int rounds, Path python) throws Exception {
        List<Double> ours = new ArrayList<>();
        List<Double> duck = new ArrayList<>();
        List<Double> ratios = new ArrayList<>();
        List<Double> cpuRatios = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            double o = 0;
            double d = 0;
            double oc = 0;
            double dc = 0;
            for (String side : round % 2 == 1 ? List.of("ours", "duckdb") : List.of("duckdb", "ours")) {
                Path out = dir.resolve("cold-" + side);
                deleteTree(out);
                Files.createDirectories(out);
                List<String> command = side.equals("ours") ? coldCommand(csv, out)
                        : DuckDbReference.coldCommand(python, csv, out.resolve("duckdb.parquet"));
                MeasuredProcess child = MeasuredProcess.run(command, Path.of(""),
                        dir.resolve("cold-" + side + ".log"));
                String[] first = child.output().lines()
                        .filter(line -> line.startsWith("first conversion ")).findFirst()
                        .orElseThrow(() -> new IllegalStateException("no time in: " + child.output()))
                        .substring("first conversion ".length()).split(" ");
                double time = Double.parseDouble(first[0]);
                double cpu = Double.parseDouble(first[1]);
                System.out.printf(Locale.ROOT, "cold round %d: %-6s first conversion %.3f s (cpu %.2f s), whole "
                        + "process %s%n", round, side, time, cpu, child.describe());
                if (side.equals("ours")) {
                    o = time;
                    oc = cpu;
                } else {
                    d = time;
                    dc = cpu;
                }
            }
            ours.add(o);
            duck.add(d);
            ratios.add(o / d);
            cpuRatios.add(oc / dc);
        }
        System.out.printf(Locale.ROOT, "cold: ours median %.3f s, duckdb median %.3f s, median ratio %.2f, median "
                + "cpu ratio %.2f (load average %.2f)%n", median(ours), median(duck), median(ratios),
                median(cpuRatios), loadAverage());
        return median(ratios);
    }

    private static List<String> coldCommand(Path csv, Path out) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("@" + Path.of("bin", "jvm.options").toAbsolutePath());
        command.add("@" + Path.of("bin", "jvm-oneshot.options").toAbsolutePath());
        // this JVM's own options: the heap, and any -Dpipeline.convert.* setting being measured
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        Path jar = Path.of("target", "s3tables-pipeline.jar").toAbsolutePath();
        Path archive = Path.of("target", "s3tables-pipeline.jsa").toAbsolutePath();
        String classPath = System.getProperty("java.class.path");
        if (Files.exists(archive) && Files.exists(jar)) {
            // the archive's class path (the jar and its manifest's lib/) must come first for the JVM to use it
            command.add("-XX:SharedArchiveFile=" + archive);
            classPath = jar + File.pathSeparator + classPath;
        }
        command.addAll(List.of("-cp", classPath, ConvertBenchmark.class.getName(), "--cold-child",
                csv.toAbsolutePath().toString(), out.toAbsolutePath().toString()));
        return command;
    }

    /** In the fresh JVM: one conversion, timed from the first use of the converter to its end. */
    private static void coldChild(Path csv, Path out) throws Exception {
        try (CamelContext context = new DefaultCamelContext()) {
            context.start();
            long cpu = processCpuNanos();
            long t = System.nanoTime();
            new OurConverter(context, out).convert(csv);
            System.out.printf(Locale.ROOT, "first conversion %.3f %.3f%n", seconds(System.nanoTime() - t),
                    seconds(processCpuNanos() - cpu));
        }
    }

    /**
     * DuckDB (the app's JDBC driver, opened once the rounds are over) reads both files: the same types, row count, id
     * sum and hash sum of every row, or what differs.
     */
    private static String sameRows(Path ours, Path theirs, long rows) throws SQLException {
        try (Connection duckdb = DriverManager.getConnection("jdbc:duckdb:")) {
            String a = fingerprint(duckdb, ours);
            String b = fingerprint(duckdb, theirs);
            String expected = rows + " rows";
            if (a.equals(b) && a.startsWith(expected)) {
                return "yes (" + a + ")";
            }
            throw new IllegalStateException("the Parquet files differ: ours " + a + ", duckdb " + b);
        }
    }

    private static String fingerprint(Connection duckdb, Path parquet) throws SQLException {
        try (Statement s = duckdb.createStatement()) {
            StringBuilder types = new StringBuilder();
            try (ResultSet r = s.executeQuery("DESCRIBE SELECT * FROM read_parquet('" + parquet + "')")) {
                while (r.next()) {
                    types.append(types.length() == 0 ? "" : ", ").append(r.getString(1)).append(' ')
                            .append(r.getString(2));
                }
            }
            try (ResultSet r = s.executeQuery("SELECT count(*), sum(product_id), sum(hash(product_id, product_name, "
                    + "product_category, brand)) FROM read_parquet('" + parquet + "')")) {
                r.next();
                return r.getLong(1) + " rows, sum(product_id) " + r.getString(2) + ", sum(hash(row)) "
                        + r.getString(3) + ", " + types;
            }
        }
    }

    /** The convert stage as the route runs it: CsvBytes, the CSV data format, the Parquet writer, on one exchange. */
    private static final class OurConverter {

        private final CamelContext context;
        private final ConvertConfig config;
        private final DataFormat dataFormat;
        private final ParquetWriterProcessor writer;

        OurConverter(CamelContext context, Path workDir) throws Exception {
            this.context = context;
            // -Dpipeline.convert.parser=camel-csv (or any pipeline.convert.* setting) measures that configuration
            Settings settings = new Settings(key -> Optional.ofNullable(System.getProperty(key)));
            this.config = ConvertConfig.from(settings);
            settings.validate();
            Schema schema = AvroSchemas.load("classpath:schemas/products.avsc");
            this.dataFormat = CsvFormats.dataFormat(config);
            ServiceHelper.startService(dataFormat);
            this.writer = new ParquetWriterProcessor(config, schema, workDir);
        }

        Path convert(Path csv) throws Exception {
            Exchange exchange = new DefaultExchange(context);
            exchange.getIn().setBody(CsvBytes.open(csv, config.charset()));
            exchange.getIn().setBody(dataFormat.unmarshal(exchange, exchange.getIn().getBody()));
            writer.process(exchange);
            if (exchange.getException() != null) {
                throw exchange.getException();
            }
            return exchange.getProperty(ConversionResult.PROPERTY, ConversionResult.class).parquetFile();
        }
    }

    /**
     * Peak heap used, as the sum of the heap pools' peaks since the last reset (an upper bound: the pools may peak at
     * different moments), and the most heap still live after any GC, from GC notifications. Nothing polls, so the
     * measurement takes no CPU from what it measures.
     */
    static final class HeapWatch implements AutoCloseable {

        private final List<MemoryPoolMXBean> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(pool -> pool.getType() == MemoryType.HEAP)
                .toList();
        private final AtomicLong liveAfterGc = new AtomicLong();
        private final NotificationListener listener;

        HeapWatch() {
            listener = (notification, handback) -> {
                if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
                    GarbageCollectionNotificationInfo info =
                            GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
                    long used = info.getGcInfo().getMemoryUsageAfterGc().values().stream()
                            .mapToLong(MemoryUsage::getUsed).sum();
                    liveAfterGc.accumulateAndGet(used, Math::max);
                }
            };
            for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                ((NotificationEmitter) gc).addNotificationListener(listener, null, null);
            }
        }

        void reset() {
            System.gc();
            heapPools.forEach(MemoryPoolMXBean::resetPeakUsage);
            liveAfterGc.set(0);
        }

        long peakUsed() {
            return heapPools.stream().mapToLong(pool -> pool.getPeakUsage().getUsed()).sum();
        }

        long maxLiveAfterGc() {
            return liveAfterGc.get();
        }

        @Override
        public void close() throws Exception {
            for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                ((NotificationEmitter) gc).removeNotificationListener(listener);
            }
        }
    }

    /** CPU time of the whole process, every thread: ours, DuckDB's native workers and the collector's. */
    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    static double seconds(long nanos) {
        return nanos / 1e9;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /** A count given as {@code name}, at least {@code min}. */
    static int countArg(String[] args, String name, int defaultValue, int min) {
        long value = longArg(args, name, defaultValue);
        if (value < min || value > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(name + " must be at least " + min + ", was " + value);
        }
        return (int) value;
    }

    static String stringArg(String[] args, String name, String defaultValue) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return defaultValue;
    }

    private static long longArg(String[] args, String name, long defaultValue) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals(name)) {
                return Long.parseLong(args[i + 1].replace("_", ""));
            }
        }
        return defaultValue;
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
