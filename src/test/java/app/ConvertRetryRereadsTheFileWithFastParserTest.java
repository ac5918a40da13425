package app;

/** {@link ConvertRetryRereadsTheFile} with {@code pipeline.convert.parser=fast}. */
class ConvertRetryRereadsTheFileWithFastParserTest extends ConvertRetryRereadsTheFile {

    @Override
    protected String parser() {
        return "fast";
    }
}
