package core;

/** The input holds no data rows (a header only): the run ends SKIPPED with this reason, nothing is loaded. */
public class NothingToLoadException extends RuntimeException {

    public NothingToLoadException(String reason) {
        super(reason);
    }
}
