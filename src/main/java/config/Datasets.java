package config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import core.DataDirLayout;

/**
 * The datasets one process serves: {@code pipeline.datasets=products,orders}, each configured by
 * {@code pipeline.dataset.<name>.*} over the shared {@code pipeline.*} values. Without {@code pipeline.datasets}, the
 * {@code pipeline.*} properties are the one dataset named by {@code pipeline.dataset}, with the folders of old.
 * With several, each has its own inbox ({@code <inbox>/<name>/}) and state ({@code <data.dir>/state/<name>/}), and its
 * input ({@code once}, {@code source.url}) is set for it alone.
 *
 * @param inboxRoot with several datasets, the folder holding their inboxes ({@code <inbox>/<name>/}), where a file
 *                  dropped is read by none of them; empty with one dataset
 */
public record Datasets(List<PipelineConfig> all, int maxConcurrentRuns, Optional<Path> inboxRoot) {

    /**
     * The name the datasets are bound under in Camel's registry. Looked up by name: a lookup by type hashes the record,
     * and a record's first hashCode bootstraps its generated methods, and those of every record it holds (20 ms of
     * a one-shot run's start-up).
     */
    public static final String BEAN = "datasets";

    private static final String PREFIX = "pipeline.";
    /** Settings that name one dataset's input: with several datasets they are set per dataset only. */
    private static final List<String> OWN_INPUT = List.of("once", "source.url");
    /**
     * Settings of the process itself, which no dataset sets: which datasets there are, their run slots, the web UI of
     * the management server, the S3 source (of a single dataset). A name ending in a dot is every setting under it.
     */
    private static final List<String> PROCESS = List.of("datasets", "dataset", "maxConcurrentRuns", "ui.",
            "s3source.");
    /**
     * Settings that one value serves every dataset with, each with the reason: the process uses one data dir, one
     * S3 client and bucket, one HTTP client and one set of Athena routes. A dataset's own value of one is refused.
     */
    private static final Map<String, String> SHARED = shared();

    public static Datasets load(Settings shared) {
        List<String> names = shared.list("pipeline.datasets");
        int maxConcurrentRuns = shared.integer("pipeline.maxConcurrentRuns", 1, 64);
        if (names.isEmpty()) {
            return new Datasets(List.of(PipelineConfig.load(shared)), maxConcurrentRuns, Optional.empty());
        }
        Set<String> unique = new LinkedHashSet<>();
        for (String name : names) {
            Optional<String> problem = Names.problem("pipeline.datasets: a dataset name", name);
            if (problem.isPresent()) {
                shared.problem(problem.get());
            } else if (!unique.add(name)) {
                shared.problem("pipeline.datasets names " + name + " twice");
            }
        }
        for (String key : OWN_INPUT) {
            shared.optional(PREFIX + key).ifPresent(value -> shared.problem(PREFIX + key + " would be the input of"
                    + " every dataset of pipeline.datasets=" + String.join(",", names) + "; set it for one dataset, as "
                    + PREFIX + "dataset." + names.get(0) + "." + key));
        }
        Path dataDir = PipelineConfig.dataDir(shared);
        Path inboxRoot = shared.optional("pipeline.inbox.dir").map(Path::of)
                .orElseGet(() -> DataDirLayout.inbox(dataDir));
        List<PipelineConfig> all = new ArrayList<>();
        for (String name : unique) {
            DatasetSettings own = new DatasetSettings(shared, name);
            Settings settings = new Settings(own::lookup);
            // empty means derived: <pipeline.inbox.dir, or the data dir's inbox>/<name>, unless the dataset sets its own
            Path inbox = shared.given(PREFIX + "dataset." + name + ".inbox.dir").filter(v -> !v.isBlank())
                    .map(v -> Path.of(v.trim()))
                    .orElseGet(() -> inboxRoot.resolve(name));
            all.add(PipelineConfig.load(settings, name, inbox, DataDirLayout.state(dataDir).resolve(name)));
            for (String problem : settings.problems()) {
                String named = own.name(problem);
                // a shared property's problem is the same for every dataset: said once
                if (!shared.problems().contains(named)) {
                    shared.problem(named);
                }
            }
        }
        checkTablesApart(shared, all);
        checkLedgersApart(shared, all);
        checkKeysApart(shared, all);
        checkInboxesApart(shared, all);
        // the folder the datasets' inboxes are in, where a file dropped by mistake is read by none
        boolean underRoot = all.stream().anyMatch(config -> config.inboxEnabled()
                && config.inbox().dir().equals(inboxRoot.resolve(config.dataset())));
        return new Datasets(List.copyOf(all), maxConcurrentRuns,
                underRoot ? Optional.of(inboxRoot) : Optional.empty());
    }

    /**
     * Why {@code pipeline.dataset.<name>.<key>} cannot be set for {@code key} ({@code pipeline.<key>}, a setting): it is
     * the process's, or one value of it serves every dataset; empty when a dataset may set its own value.
     */
    public static Optional<String> notPerDataset(String key) {
        String own = key.startsWith(PREFIX) ? key.substring(PREFIX.length()) : key;
        if (ofTheProcess(own)) {
            return Optional.of("it is a setting of the whole process");
        }
        for (Map.Entry<String, String> shared : SHARED.entrySet()) {
            String name = shared.getKey();
            if (name.endsWith(".") ? own.startsWith(name) && !own.equals("s3.key") : own.equals(name)) {
                return Optional.of(shared.getValue());
            }
        }
        return Optional.empty();
    }

    /** Whether one value of {@code key} ({@code pipeline.<key>}) serves every dataset: a dataset cannot set its own. */
    public static boolean sharedByEveryDataset(String key) {
        return notPerDataset(key).isPresent() && !ofTheProcess(key.substring(PREFIX.length()));
    }

    private static boolean ofTheProcess(String own) {
        return PROCESS.stream().anyMatch(name -> name.endsWith(".") ? own.startsWith(name) : own.equals(name));
    }

    private static Map<String, String> shared() {
        Map<String, String> shared = new LinkedHashMap<>();
        shared.put("data.dir", "one data dir holds the process's state");
        // every pipeline.s3.* but the object key, which a dataset sets
        shared.put("s3.", "one S3 client and bucket serve every dataset");
        for (String timeout : List.of("source.connectTimeout", "source.readTimeout")) {
            shared.put(timeout, "one HTTP client downloads for every dataset");
        }
        for (String athena : List.of("region", "endpoint", "workgroup", "waitTimeout", "pollInterval", "maxAttempts",
                "retry", "pageSize")) {
            shared.put("athena." + athena, "the athena-* routes serve every dataset");
        }
        return Collections.unmodifiableMap(shared);
    }

    /** More than one dataset: route ids, folders and beans carry the dataset's name. */
    public boolean several() {
        return all.size() > 1;
    }

    /** A one-shot process: some dataset has its {@code once} input; no dataset then watches its inbox or source. */
    public boolean oneShot() {
        return all.stream().anyMatch(config -> config.once().isPresent());
    }

    public List<TableConfig> tables() {
        return all.stream().map(PipelineConfig::table).toList();
    }

    // two datasets may append into one table (they take turns); overwriting, each would erase the other's rows
    private static void checkTablesApart(Settings shared, List<PipelineConfig> all) {
        Map<String, PipelineConfig> byTable = new HashMap<>();
        for (PipelineConfig config : all) {
            PipelineConfig other = byTable.putIfAbsent(config.table().qualifiedName(), config);
            if (other != null && (config.table().mode() == TableConfig.Mode.OVERWRITE
                                  || other.table().mode() == TableConfig.Mode.OVERWRITE)) {
                shared.problem("datasets " + other.dataset() + " and " + config.dataset() + " both load table "
                               + config.table().qualifiedName() + " in overwrite mode, each erasing the other's rows;"
                               + " set pipeline.dataset." + config.dataset() + ".table.name");
            }
        }
    }

    // a table named as another's load ledger: loads and the record of the loads would be one table
    private static void checkLedgersApart(Settings shared, List<PipelineConfig> all) {
        for (PipelineConfig config : all) {
            for (PipelineConfig other : all) {
                TableConfig table = config.table();
                if (table.namespace().equals(other.table().namespace())
                    && table.name().equals(other.table().ledgerName())) {
                    shared.problem("dataset " + config.dataset() + " loads table " + table.qualifiedName() + ", the"
                                   + " load ledger of dataset " + other.dataset() + "'s table "
                                   + other.table().qualifiedName() + "; set pipeline.dataset." + config.dataset()
                                   + ".table.name to another name");
                }
            }
        }
    }

    // one folder watched for two datasets: both would read each file dropped there, into their own tables
    private static void checkInboxesApart(Settings shared, List<PipelineConfig> all) {
        Map<Path, PipelineConfig> byInbox = new HashMap<>();
        for (PipelineConfig config : all) {
            if (!config.inboxEnabled()) {
                continue;
            }
            Path inbox = config.inbox().dir().toAbsolutePath().normalize();
            PipelineConfig other = byInbox.putIfAbsent(inbox, config);
            if (other != null) {
                shared.problem("datasets " + other.dataset() + " and " + config.dataset() + " both watch the inbox "
                               + inbox + ", each reading the other's files; set pipeline.dataset." + config.dataset()
                               + ".inbox.dir to a folder of its own");
            }
        }
    }

    // one object key for two datasets: each upload replaces the other's, and a Spark or EMR step may load the wrong one
    private static void checkKeysApart(Settings shared, List<PipelineConfig> all) {
        Map<String, PipelineConfig> byKey = new HashMap<>();
        for (PipelineConfig config : all) {
            String template = config.s3().keyTemplate();
            if (template.contains("{runId}")) {
                continue;
            }
            String key = template.replace("{dataset}", config.dataset());
            PipelineConfig other = byKey.putIfAbsent(key, config);
            if (other != null) {
                shared.problem("datasets " + other.dataset() + " and " + config.dataset() + " both upload to "
                               + config.s3().bucket() + "/" + key + " (pipeline.s3.key = " + template + "), each"
                               + " replacing the other's file; put {dataset} in pipeline.s3.key or set"
                               + " pipeline.dataset." + config.dataset() + ".s3.key");
            }
        }
    }

    /**
     * A dataset's view of the properties: {@code pipeline.dataset.<name>.x} where set, else {@code pipeline.x}. It
     * remembers which keys came from the dataset, so that a problem names the property the user actually wrote.
     */
    private static final class DatasetSettings {

        private final Settings shared;
        private final String dataset;
        private final String ownPrefix;
        private final Set<String> overridden = new LinkedHashSet<>();

        DatasetSettings(Settings shared, String dataset) {
            this.shared = shared;
            this.dataset = dataset;
            this.ownPrefix = PREFIX + "dataset." + dataset + ".";
        }

        Optional<String> lookup(String key) {
            if (key.equals("pipeline.dataset")) {
                return Optional.of(dataset);
            }
            if (key.startsWith(PREFIX) && notPerDataset(key).isEmpty()) {
                Optional<String> own = shared.given(ownPrefix + key.substring(PREFIX.length()));
                if (own.isPresent()) {
                    overridden.add(key);
                    return own;
                }
                if (OWN_INPUT.contains(key.substring(PREFIX.length()))) {
                    return Optional.empty();
                }
            }
            return shared.given(key);
        }

        /**
         * A problem with a key the dataset sets: named as written, after the dataset it belongs to. A problem with
         * shared keys only stays as it is.
         */
        String name(String problem) {
            String named = problem;
            List<String> keys = overridden.stream().sorted(Comparator.comparing(String::length).reversed()).toList();
            for (String key : keys) {
                Matcher m = Pattern.compile(Pattern.quote(key) + "(?![A-Za-z0-9_.])").matcher(named);
                named = m.replaceAll(Matcher.quoteReplacement(ownPrefix + key.substring(PREFIX.length())));
            }
            return named.equals(problem) ? problem : "dataset " + dataset + ": " + named;
        }
    }
}
