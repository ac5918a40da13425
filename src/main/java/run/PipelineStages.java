package run;

import java.util.List;

/** The stages of a run, in order; each is a {@code direct:} route of that id, and the report times each. */
public final class PipelineStages {

    public static final String DOWNLOAD = "download";
    public static final String CONVERT = "convert";
    public static final String UPLOAD = "upload";
    public static final String LOAD = "load";
    public static final String QUERY = "query";

    private static final List<String> ALL = List.of(DOWNLOAD, CONVERT, UPLOAD, LOAD, QUERY);

    private PipelineStages() {
    }

    public static boolean isStage(String routeId) {
        return ALL.contains(routeId);
    }
}
