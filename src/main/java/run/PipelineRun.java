package run;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonRawValue;
import core.RunSchema;
import core.Secrets;

/**
 * The report of one pass of an input through the pipeline, and nothing else: the files the run works with travel on
 * the exchange ({@link RunFiles}). It travels as an exchange property and each stage fills in what it knows as it
 * ends, rather than the report being rebuilt from headers at the end, because a run that fails half-way must still
 * report what its finished stages did.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({ "runId", "dataset", "status", "trigger", "source", "startedAt", "finishedAt", "durationMs",
        "bytesRead", "compression", "csvBytes", "sha256", "convertedOn", "rowsRead", "rowsWritten", "rowsRejected", "warnings",
        "parquetUri", "csvUri", "rejectsUri", "table", "snapshotId", "merge", "ledgerEntry" })
public final class PipelineRun {

    private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
            .withZone(ZoneOffset.UTC);

    private final String runId;
    private final String trigger;
    private final String source;
    private String dataset;
    private final Instant startedAt;
    private Instant finishedAt;
    private RunStatus status = RunStatus.RUNNING;
    private String reason;
    private long bytesRead;
    private String compression;
    private Long csvBytes;
    private String sha256;
    private long rowsRead;
    private long rowsWritten;
    private long rowsRejected;
    private String parquetUri;
    private String convertedOn;
    private String csvUri;
    private String rejectsUri;
    private String table;
    private Long snapshotId;
    private LedgerEntry ledgerEntry;
    private Merged merged;
    private QueryOutcome query;
    private final Map<String, Long> stageMs = new LinkedHashMap<>();
    private RunError error;
    private List<String> warnings;
    private SchemaUsed schema;

    public PipelineRun(String trigger, String source) {
        this.startedAt = Instant.now();
        this.runId = ID_TIME.format(startedAt) + "-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0x10000));
        this.trigger = trigger;
        // a URL's user-info and query may hold a token: the report, the summary and the sidecar show it masked
        this.source = Secrets.url(source);
    }

    /** Where a stage failed and why, as the report shows it. */
    public record RunError(String stage, String message) {
    }

    /**
     * The row of the table's load ledger that records the run's load, or, for a run skipped because the table holds
     * its input, the earlier load's row, as the report shows it under {@code ledgerEntry}.
     *
     * @param table      the ledger table, {@code data.products_loads}
     * @param snapshotId the data table's snapshot that the load committed
     * @param runId      the run that loaded the input
     * @param recorded   false when the row is not written yet (written at the next load, start or maintain); absent
     *                   otherwise
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record LedgerEntry(String table, long snapshotId, String runId, Boolean recorded) {
    }

    /**
     * What became of the run's query, as the report shows it under {@code query}: SUCCEEDED with the rows of its
     * answer and the results file if one was written, or FAILED with why (the load was committed all the same).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record QueryOutcome(RunStatus status, Long rows, String resultsFile, String error) {
    }

    /**
     * The schema the run converted with.
     *
     * @param source     the dataset's schema location, or {@code inferred}
     * @param sampleRows the rows the inference read; null for a given schema
     * @param widened    the columns widened for values after the sample, each with the first such value and its line
     * @param passes     how many times the CSV was read to convert it: once, or again after columns were widened
     * @param avro       the Avro schema, as JSON
     */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record SchemaUsed(String source, Long sampleRows, List<RunSchema.Widening> widened, int passes,
                             @JsonRawValue String avro) {
    }

    public void succeeded() {
        finish(RunStatus.SUCCEEDED);
    }

    public void skipped(String why) {
        this.reason = Secrets.text(why);
        finish(RunStatus.SKIPPED);
    }

    public void failed(String stage, String message) {
        this.error = new RunError(stage, Secrets.text(message));
        finish(RunStatus.FAILED);
    }

    private void finish(RunStatus outcome) {
        this.status = outcome;
        this.finishedAt = Instant.now();
    }

    public void stageTook(String stage, long millis) {
        stageMs.merge(stage, millis, Long::sum);
    }

    public String getRunId() {
        return runId;
    }

    public String getTrigger() {
        return trigger;
    }

    public String getSource() {
        return source;
    }

    /** The dataset ({@code pipeline.dataset}) this run loads. */
    public String getDataset() {
        return dataset;
    }

    public void setDataset(String dataset) {
        this.dataset = dataset;
    }

    public Instant getStartedAt() {
        return startedAt;
    }

    public Instant getFinishedAt() {
        return finishedAt;
    }

    public Long getDurationMs() {
        return finishedAt == null ? null : finishedAt.toEpochMilli() - startedAt.toEpochMilli();
    }

    public RunStatus getStatus() {
        return status;
    }

    public String getReason() {
        return reason;
    }

    public long getBytesRead() {
        return bytesRead;
    }

    public void setBytesRead(long bytesRead) {
        this.bytesRead = bytesRead;
    }

    /** How the input's bytes were compressed ({@code gzip}, {@code zstd}, {@code bzip2}); null for plain CSV. */
    public String getCompression() {
        return compression;
    }

    /** The bytes of CSV a compressed input held, decompressed; null for plain CSV ({@link #getBytesRead} then). */
    public Long getCsvBytes() {
        return csvBytes;
    }

    /** The input was {@code compression}-compressed and held {@code csvBytes} bytes of CSV; null, null: plain. */
    public void setCompression(String compression, Long csvBytes) {
        this.compression = compression;
        this.csvBytes = csvBytes;
    }

    public String getSha256() {
        return sha256;
    }

    public void setSha256(String sha256) {
        this.sha256 = sha256;
    }

    public long getRowsRead() {
        return rowsRead;
    }

    public void setRowsRead(long rowsRead) {
        this.rowsRead = rowsRead;
    }

    public long getRowsWritten() {
        return rowsWritten;
    }

    public void setRowsWritten(long rowsWritten) {
        this.rowsWritten = rowsWritten;
    }

    public long getRowsRejected() {
        return rowsRejected;
    }

    public void setRowsRejected(long rowsRejected) {
        this.rowsRejected = rowsRejected;
    }

    /** Where the CSV became rows: {@code spark} when the Spark job converted it; null: the app did. */
    public String getConvertedOn() {
        return convertedOn;
    }

    public void setConvertedOn(String convertedOn) {
        this.convertedOn = convertedOn;
    }

    /** Where the input was uploaded as received, for the Spark job to convert; null when the app converted it. */
    public String getCsvUri() {
        return csvUri;
    }

    public void setCsvUri(String csvUri) {
        this.csvUri = csvUri;
    }

    public String getParquetUri() {
        return parquetUri;
    }

    public void setParquetUri(String parquetUri) {
        this.parquetUri = parquetUri;
    }

    public String getRejectsUri() {
        return rejectsUri;
    }

    public void setRejectsUri(String rejectsUri) {
        this.rejectsUri = rejectsUri;
    }

    public String getTable() {
        return table;
    }

    public void setTable(String table) {
        this.table = table;
    }

    public Long getSnapshotId() {
        return snapshotId;
    }

    public void setSnapshotId(Long snapshotId) {
        this.snapshotId = snapshotId;
    }

    public LedgerEntry getLedgerEntry() {
        return ledgerEntry;
    }

    public void setLedgerEntry(LedgerEntry ledgerEntry) {
        this.ledgerEntry = ledgerEntry;
    }

    /** What a merge did to the table's rows; absent in the other modes. */
    public Merged getMerge() {
        return merged;
    }

    public void setMerged(long inserted, long updated, long deleted) {
        this.merged = new Merged(inserted, updated, deleted);
    }

    /** A merge's keys: added as new rows, whose row it replaced, whose row it deleted. */
    public record Merged(long inserted, long updated, long deleted) {
    }

    public QueryOutcome getQuery() {
        return query;
    }

    /** The query answered with {@code rows} rows, written to {@code resultsFile} if not null. */
    public void querySucceeded(long rows, String resultsFile) {
        this.query = new QueryOutcome(RunStatus.SUCCEEDED, rows, resultsFile, null);
    }

    /** The query failed after the load was committed: the run's own status does not change. */
    public void queryFailed(String message) {
        this.query = new QueryOutcome(RunStatus.FAILED, null, null, Secrets.text(message));
    }

    public Map<String, Long> getStageMs() {
        return stageMs;
    }

    public RunError getError() {
        return error;
    }

    /** What the run says about its input without failing: a nullable column the CSV lacks. */
    public List<String> getWarnings() {
        return warnings;
    }

    public void setWarnings(List<String> warnings) {
        this.warnings = warnings.isEmpty() ? null : List.copyOf(warnings);
    }

    /** One more warning, after those the convert stage set. */
    public void addWarning(String warning) {
        List<String> all = new java.util.ArrayList<>(warnings == null ? List.of() : warnings);
        all.add(warning);
        this.warnings = List.copyOf(all);
    }

    public SchemaUsed getSchema() {
        return schema;
    }

    public void setSchema(RunSchema used) {
        this.schema = new SchemaUsed(used.source(), used.isInferred() ? used.sampleRows() : null, used.widenings(),
                used.passes() + 1, used.avro().toString());
    }
}
