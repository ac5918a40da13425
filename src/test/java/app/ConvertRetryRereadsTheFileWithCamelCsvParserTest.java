package app;

/** {@link ConvertRetryRereadsTheFile} with {@code pipeline.convert.parser=camel-csv}, whose records are read ahead. */
class ConvertRetryRereadsTheFileWithCamelCsvParserTest extends ConvertRetryRereadsTheFile {

    @Override
    protected String parser() {
        return "camel-csv";
    }
}
