package config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Every {@code pipeline.*} key given must be one the app reads, so that a misspelt one fails the start instead of
 * being ignored. The settings are the {@code pipeline.*} keys of {@code application.properties} (every setting has
 * its default there, and {@link Settings} reads no other), and {@code pipeline.dataset.<name>.<key>} for a dataset of
 * {@code pipeline.datasets} and a setting a dataset may set ({@link Datasets#notPerDataset}). An unknown key is a
 * problem naming the closest setting. An environment variable is matched as Camel looks it up (upper case, dots and
 * dashes as underscores); one that resembles no setting is only warned about, since the environment is shared with
 * other programs (a CI system's {@code PIPELINE_WORKSPACE}).
 */
public final class SettingNames {

    private static final String PREFIX = "pipeline.";
    private static final String DATASET_PREFIX = PREFIX + "dataset.";

    /**
     * The keys given: {@code keys}, each with where it was given ({@code -D}, a properties file), and the names of the
     * environment variables that start with {@code PIPELINE_}.
     */
    public record Given(Map<String, String> keys, List<String> environment) {
    }

    /** What is wrong: problems stop the start; warnings are logged. */
    public record Check(List<String> problems, List<String> warnings) {
    }

    private final Set<String> settings;
    private final List<String> datasets;
    /** The settings and each dataset's own forms of them: what a key given may be. */
    private final Set<String> candidates;

    private SettingNames(Set<String> settings, List<String> datasets) {
        this.settings = settings;
        this.datasets = datasets;
        this.candidates = candidates(settings, datasets);
    }

    /** Checks the keys {@code given} against the settings, for the datasets of {@code pipeline.datasets}. */
    public static Check check(Given given, List<String> datasets) {
        return new SettingNames(settings(), datasets).check(given);
    }

    /** Every {@code pipeline.*} setting, as application.properties lists them. */
    public static Set<String> settings() {
        Set<String> keys = new TreeSet<>();
        for (String key : Settings.defaults().stringPropertyNames()) {
            if (key.startsWith(PREFIX)) {
                keys.add(key);
            }
        }
        return keys;
    }

    private Check check(Given given) {
        List<String> problems = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        given.keys().forEach((key, where) -> problem(key, key).ifPresent(problems::add));
        for (String variable : given.environment()) {
            Optional<String> key = keyOfVariable(variable);
            if (key.isPresent()) {
                problem(key.get(), "environment variable " + variable + " (" + key.get() + ")")
                        .ifPresent(problems::add);
                continue;
            }
            Optional<String> closest = closest(variable, candidates, true);
            if (closest.isPresent()) {
                problems.add("environment variable " + variable + " is not a setting; did you mean "
                             + GivenSettings.environmentName(closest.get()) + " (" + closest.get() + ")?");
            } else {
                warnings.add("environment variable " + variable + " names no setting of this app (none is like it);"
                             + " it is ignored");
            }
        }
        return new Check(List.copyOf(new LinkedHashSet<>(problems)), warnings);
    }

    /** What is wrong with {@code key}, given as {@code as}, if anything. */
    private Optional<String> problem(String key, String as) {
        if (!key.startsWith(PREFIX) || settings.contains(key)) {
            return Optional.empty();
        }
        Set<String> likely = candidates;
        String unlisted = "";
        if (key.startsWith(DATASET_PREFIX)) {
            String rest = key.substring(DATASET_PREFIX.length());
            int dot = rest.indexOf('.');
            String dataset = dot < 0 ? rest : rest.substring(0, dot);
            String setting = PREFIX + (dot < 0 ? "" : rest.substring(dot + 1));
            if (dot > 0 && settings.contains(setting)) {
                return perDataset(as, dataset, setting);
            }
            if (dot > 0 && !datasets.contains(dataset)) {
                // a misspelt setting of a dataset pipeline.datasets does not list: its own forms are the likely ones
                likely = new LinkedHashSet<>(candidates);
                likely.addAll(candidates(settings, List.of(dataset)));
                unlisted = " (and list " + dataset + " in pipeline.datasets, which "
                           + (datasets.isEmpty() ? "is empty" : "lists " + String.join(",", datasets))
                           + ": a dataset it does not list is not read)";
            }
        }
        Optional<String> closest = closest(key, likely, false);
        return Optional.of(as + " is not a setting" + closest.map(c -> "; did you mean " + c + "?")
                .orElse(" (docs/configuration.md lists them)")
                + (closest.filter(c -> c.startsWith(DATASET_PREFIX)).isPresent() ? unlisted : ""));
    }

    /** A dataset's own value of {@code setting}: refused when the setting is not a dataset's, or the dataset unknown. */
    private Optional<String> perDataset(String as, String dataset, String setting) {
        Optional<String> not = Datasets.notPerDataset(setting);
        if (not.isPresent()) {
            return Optional.of(as + ": a dataset cannot have its own " + setting + " (" + not.get() + "); set "
                               + setting);
        }
        if (datasets.contains(dataset)) {
            return Optional.empty();
        }
        if (datasets.isEmpty()) {
            return Optional.of(as + " is for dataset " + dataset + ", but pipeline.datasets is empty, so it would be"
                               + " ignored: set " + setting + " for the one dataset, or list " + dataset
                               + " in pipeline.datasets");
        }
        return Optional.of(as + " is for dataset " + dataset + ", which pipeline.datasets (" + String.join(",", datasets)
                           + ") does not list, so it would be ignored: add " + dataset + " to pipeline.datasets");
    }

    /** The key an environment variable sets, as Camel looks variables up; empty when it sets none. */
    private Optional<String> keyOfVariable(String variable) {
        for (String key : candidates) {
            if (GivenSettings.environmentName(key).equals(variable)) {
                return Optional.of(key);
            }
        }
        // a dataset's own setting, of a dataset pipeline.datasets may not list: PIPELINE_DATASET_<NAME>_<SETTING>
        String datasetPrefix = GivenSettings.environmentName(DATASET_PREFIX);
        if (variable.startsWith(datasetPrefix)) {
            String best = null;
            String bestSuffix = "";
            for (String setting : settings) {
                String suffix = "_" + GivenSettings.environmentName(setting.substring(PREFIX.length()));
                if (variable.endsWith(suffix) && variable.length() > datasetPrefix.length() + suffix.length()
                    && suffix.length() > bestSuffix.length()) {
                    best = setting;
                    bestSuffix = suffix;
                }
            }
            if (best != null) {
                String dataset = variable.substring(datasetPrefix.length(), variable.length() - bestSuffix.length());
                return Optional.of(DATASET_PREFIX + dataset.toLowerCase(Locale.ROOT) + "."
                                   + best.substring(PREFIX.length()));
            }
        }
        return Optional.empty();
    }

    private static Set<String> candidates(Set<String> settings, List<String> datasets) {
        Set<String> candidates = new LinkedHashSet<>(settings);
        for (String dataset : datasets) {
            for (String setting : settings) {
                if (Datasets.notPerDataset(setting).isEmpty()) {
                    candidates.add(DATASET_PREFIX + dataset + "." + setting.substring(PREFIX.length()));
                }
            }
        }
        return candidates;
    }

    /** The name among {@code candidates} closest to {@code given}, if it is close enough to be what was meant. */
    public static Optional<String> closest(String given, java.util.Collection<String> candidates) {
        return closest(given, candidates, false);
    }

    /**
     * The candidate closest to {@code given}, compared without case and separators (dots, dashes, underscores), if it
     * is close enough to be what was meant: a few edits, more for a longer name.
     */
    static Optional<String> closest(String given, java.util.Collection<String> candidates, boolean variable) {
        String wanted = normalised(given);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            int distance = distance(wanted, normalised(candidate));
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        int allowed = Math.max(2, wanted.length() / (variable ? 8 : 5));
        return bestDistance <= allowed ? Optional.ofNullable(best) : Optional.empty();
    }

    private static String normalised(String name) {
        return name.toLowerCase(Locale.ROOT).replaceAll("[._\\-]", "");
    }

    /** Edits (insert, delete, replace, swap of neighbours) from {@code a} to {@code b}. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
