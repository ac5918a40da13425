package spark;

import config.MergeConfig;
import config.TableConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The one place that builds a spark-submit command line, as a list of arguments: nothing is ever split on spaces, so a
 * value containing a space reaches Spark intact. Used for EMR's {@code command-runner.jar} (executable
 * {@code spark-submit}) and for a local Spark (the full path of the executable).
 */
public final class SparkSubmitCommand {

    public static final String ICEBERG_EXTENSIONS = "org.apache.iceberg.spark.extensions.IcebergSparkSessionExtensions";
    public static final String SPARK_CATALOG = "org.apache.iceberg.spark.SparkCatalog";
    public static final String S3_TABLES_CATALOG = "software.amazon.s3tables.iceberg.S3TablesCatalog";

    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_./:=,@%+-]+");

    private static final Pattern WHITESPACE = Pattern.compile("\\s");

    private final List<String> arguments;
    /** Where the script is in {@link #arguments}: options before it, its own arguments after it. */
    private final int scriptIndex;

    private SparkSubmitCommand(List<String> arguments, int scriptIndex) {
        this.arguments = List.copyOf(arguments);
        this.scriptIndex = scriptIndex;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The complete command: the executable first, then every argument, each one element. */
    public List<String> arguments() {
        return arguments;
    }

    /** The application: the Python file (or jar) path or URI. */
    public String script() {
        return arguments.get(scriptIndex);
    }

    /** The script's own arguments, after it. */
    public List<String> scriptArguments() {
        return arguments.subList(scriptIndex + 1, arguments.size());
    }

    /**
     * spark-submit's options (between the executable and the script) as one string, which is how EMR Serverless's
     * StartJobRun takes them ({@code sparkSubmitParameters}); it splits them on spaces itself, so no option may hold
     * one.
     */
    public String sparkSubmitParameters() {
        List<String> options = arguments.subList(1, scriptIndex);
        for (String option : options) {
            if (WHITESPACE.matcher(option).find()) {
                throw new IllegalArgumentException("the spark-submit option '" + option + "' holds a space, which"
                        + " EMR Serverless's sparkSubmitParameters cannot carry");
            }
        }
        return String.join(" ", options);
    }

    /** The command as a shell would need it, for logs only: never parse this back. */
    @Override
    public String toString() {
        return arguments.stream().map(SparkSubmitCommand::shellQuote).collect(Collectors.joining(" "));
    }

    static String shellQuote(String argument) {
        return SAFE.matcher(argument).matches() ? argument : "'" + argument.replace("'", "'\"'\"'") + "'";
    }

    /** Collects the parts of a spark-submit command; {@link #build()} checks that a script was given. */
    public static final class Builder {

        private String executable = "spark-submit";
        private String master;
        private final List<String> packages = new ArrayList<>();
        private final List<String> jars = new ArrayList<>();
        private final Map<String, String> conf = new LinkedHashMap<>();
        private String script;
        private final List<String> scriptArguments = new ArrayList<>();

        private Builder() {
        }

        /** {@code spark-submit} (the default, as EMR's command-runner.jar expects) or the path of a local one. */
        public Builder executable(String executable) {
            this.executable = requireText(executable, "executable");
            return this;
        }

        public Builder master(String master) {
            this.master = master;
            return this;
        }

        /** Maven coordinates for {@code --packages}. */
        public Builder packages(List<String> coordinates) {
            coordinates.forEach(c -> packages.add(requireText(c, "package")));
            return this;
        }

        /** Jar paths or URIs for {@code --jars}. */
        public Builder jars(List<String> paths) {
            paths.forEach(p -> jars.add(requireText(p, "jar")));
            return this;
        }

        public Builder conf(String key, String value) {
            conf.put(requireText(key, "conf key"), Objects.requireNonNull(value, "conf value of " + key));
            return this;
        }

        public Builder conf(Map<String, String> entries) {
            entries.forEach(this::conf);
            return this;
        }

        /** An Iceberg catalog backed by an S3 table bucket, plus the Iceberg SQL extensions. */
        public Builder s3TablesCatalog(String catalogName, String tableBucketArn) {
            String prefix = "spark.sql.catalog." + requireText(catalogName, "catalog name");
            conf(prefix, SPARK_CATALOG);
            conf(prefix + ".catalog-impl", S3_TABLES_CATALOG);
            conf(prefix + ".warehouse", requireText(tableBucketArn, "table bucket ARN"));
            return conf("spark.sql.extensions", ICEBERG_EXTENSIONS);
        }

        /** An Iceberg catalog in a directory (a local Spark), plus the Iceberg SQL extensions. */
        public Builder hadoopCatalog(String catalogName, String warehouseDirectory) {
            return catalog(catalogName, Map.of("type", "hadoop",
                                               "warehouse", requireText(warehouseDirectory, "warehouse directory")));
        }

        /**
         * An Iceberg catalog with the given options ({@code type}, {@code catalog-impl}, {@code warehouse}, ...: each
         * becomes {@code spark.sql.catalog.<name>.<option>}), plus the Iceberg SQL extensions.
         */
        public Builder catalog(String catalogName, Map<String, String> options) {
            String prefix = "spark.sql.catalog." + requireText(catalogName, "catalog name");
            conf(prefix, SPARK_CATALOG);
            new java.util.TreeMap<>(options).forEach((option, value) -> conf(prefix + "." + option, value));
            return conf("spark.sql.extensions", ICEBERG_EXTENSIONS);
        }

        /** The application: a Python file (or jar) path or URI. */
        public Builder script(String scriptUri) {
            this.script = requireText(scriptUri, "script");
            return this;
        }

        public Builder scriptArguments(List<String> arguments) {
            arguments.forEach(a -> scriptArguments.add(Objects.requireNonNull(a, "script argument")));
            return this;
        }

        /** The arguments of pyspark/load_to_iceberg.py. */
        public Builder loadArguments(String input, String catalogName, String namespace, String table,
                                     TableConfig.Mode mode) {
            return scriptArguments(List.of(
                    "--input", requireText(input, "input"),
                    "--catalog", requireText(catalogName, "catalog name"),
                    "--namespace", requireText(namespace, "namespace"),
                    "--table", requireText(table, "table"),
                    "--mode", mode.name().toLowerCase(Locale.ROOT)));
        }

        /**
         * A merge's key, what two input rows with one key do, and the delete marker column: nothing when
         * {@code merge} is {@link MergeConfig#NONE}.
         */
        public Builder mergeArguments(MergeConfig merge) {
            if (!merge.isMerge()) {
                return this;
            }
            List<String> arguments = new ArrayList<>(List.of("--key", String.join(",", merge.key()),
                    "--on-duplicate-key", merge.onDuplicateKey().name().toLowerCase(Locale.ROOT)));
            merge.deleteWhen().ifPresent(column -> arguments.addAll(List.of("--delete-when", column)));
            return scriptArguments(arguments);
        }

        /**
         * The input's identity, which the job records in its commit's snapshot summary and checks first: an input
         * the table already holds is not loaded again unless {@code reloadSameInput}. Absent values are left out.
         */
        public Builder identityArguments(String inputSha256, String runId, String trigger, String source,
                                         boolean reloadSameInput) {
            List<String> identity = new ArrayList<>();
            addIfPresent(identity, "--input-sha256", inputSha256);
            addIfPresent(identity, "--run-id", runId);
            addIfPresent(identity, "--trigger", trigger);
            addIfPresent(identity, "--source", source);
            if (reloadSameInput) {
                identity.add("--reload-same-input");
            }
            return scriptArguments(identity);
        }

        /**
         * The input is a CSV the job converts itself ({@code pipeline.convert.on}): by the convert spec the app wrote
         * beside it ({@code convert.SparkConvertSpec}), its rejected rows written to {@code rejectsLocation}. Each a
         * path or URI the job's Spark reads and writes. Every engine passes these, and only these, for such an input.
         */
        public Builder csvInputArguments(String specLocation, String rejectsLocation) {
            return scriptArguments(List.of("--convert-spec", requireText(specLocation, "convert spec"),
                    "--rejects", requireText(rejectsLocation, "rejects location")));
        }

        /**
         * Where the job creates a table the catalog gives no location (an emulator's REST catalog):
         * {@code <prefix>/<namespace>/<table>}. Nothing when empty, as on AWS, where S3 Tables chooses it.
         */
        public Builder tableLocationPrefix(Optional<String> prefix) {
            prefix.ifPresent(p -> scriptArguments(List.of("--table-location-prefix", p)));
            return this;
        }

        private static void addIfPresent(List<String> arguments, String flag, String value) {
            if (value != null && !value.isBlank()) {
                arguments.add(flag);
                arguments.add(value);
            }
        }

        public SparkSubmitCommand build() {
            if (script == null) {
                throw new IllegalStateException("spark-submit needs a script");
            }
            List<String> args = new ArrayList<>();
            args.add(executable);
            if (master != null && !master.isBlank()) {
                args.add("--master");
                args.add(master);
            }
            if (!packages.isEmpty()) {
                args.add("--packages");
                args.add(String.join(",", packages));
            }
            if (!jars.isEmpty()) {
                args.add("--jars");
                args.add(String.join(",", jars));
            }
            conf.forEach((key, value) -> {
                args.add("--conf");
                args.add(key + "=" + value);
            });
            int scriptIndex = args.size();
            args.add(script);
            args.addAll(scriptArguments);
            return new SparkSubmitCommand(args, scriptIndex);
        }

        private static String requireText(String value, String what) {
            if (value == null || value.isBlank()) {
                throw new IllegalArgumentException("spark-submit " + what + " must not be empty");
            }
            return value;
        }
    }
}
