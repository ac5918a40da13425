package observe;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import core.DataDirLayout;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Ready only while the app can write where a run writes: the run reports, the work files and the trigger state
 * under {@code pipeline.data.dir}. Each folder is probed by writing and deleting a small file.
 */
public final class DataDirHealthCheck extends AbstractHealthCheck {

    private final Path dataDir;

    public DataDirHealthCheck(Path dataDir) {
        super("pipeline", "data-dir");
        this.dataDir = dataDir;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        builder.detail("pipeline.data.dir", dataDir.toString());
        for (Path folder : List.of(DataDirLayout.runs(dataDir), DataDirLayout.work(dataDir),
                DataDirLayout.state(dataDir))) {
            try {
                Files.createDirectories(folder);
                Files.delete(Files.createTempFile(folder, ".health-", ".tmp"));
            } catch (IOException | SecurityException e) {
                builder.message("pipeline.data.dir is not writable: cannot write in " + folder + " ("
                                + e.getClass().getSimpleName() + ": " + e.getMessage() + ")")
                        .error(e).down();
                return;
            }
        }
        builder.up();
    }
}
