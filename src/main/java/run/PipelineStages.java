package run;

import java.util.List;

/**
 * The stages of a run, in order; each is a {@code direct:} route of the dataset, {@code <dataset>-<stage>}, and the
 * report times each.
 */
public final class PipelineStages {

    public static final String DOWNLOAD = "download";
    public static final String PREPARE = "prepare";
    public static final String CONVERT = "convert";
    public static final String UPLOAD = "upload";
    public static final String LOAD = "load";
    public static final String QUERY = "query";

    private static final List<String> ALL = List.of(DOWNLOAD, PREPARE, CONVERT, UPLOAD, LOAD, QUERY);

    private PipelineStages() {
    }

    /** The timed stages, in the order a run goes through them. */
    public static List<String> all() {
        return ALL;
    }

    public static boolean isStage(String stage) {
        return ALL.contains(stage);
    }

    /** The stage or step a route of {@code dataset} stands for: {@code convert} for {@code products-convert}. */
    public static String of(String dataset, String routeId) {
        String prefix = dataset + "-";
        return dataset != null && routeId.startsWith(prefix) ? routeId.substring(prefix.length()) : routeId;
    }
}
