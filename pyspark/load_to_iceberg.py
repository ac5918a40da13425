#!/usr/bin/env python3
"""Load a Parquet file (or directory of Parquet files) into an Apache Iceberg table.

Runs with spark-submit on EMR 7.5 (Spark 3.5, Iceberg 1.6.x, S3 Tables catalog)
and on local Spark 3.5 (Iceberg Hadoop catalog). The catalog is never defined
here: it must come from Spark confs, for example on EMR

    --conf spark.sql.catalog.s3tablesbucket=org.apache.iceberg.spark.SparkCatalog
    --conf spark.sql.catalog.s3tablesbucket.catalog-impl=software.amazon.s3tables.iceberg.S3TablesCatalog
    --conf spark.sql.catalog.s3tablesbucket.warehouse=arn:aws:s3tables:<region>:<account>:bucket/<bucket>
    --conf spark.sql.extensions=org.apache.iceberg.spark.extensions.IcebergSparkSessionExtensions

and locally

    --conf spark.sql.catalog.s3tablesbucket=org.apache.iceberg.spark.SparkCatalog
    --conf spark.sql.catalog.s3tablesbucket.type=hadoop
    --conf spark.sql.catalog.s3tablesbucket.warehouse=/tmp/warehouse

Modes:
  overwrite (default)  createOrReplace() with format-version 2: afterwards the
                       table holds exactly this input, committed atomically.
  append               create the table from the input schema when missing
                       (format-version 2), otherwise check that the input's
                       column names and types match the table, then append().
  merge                upsert on --key (one or more columns): MERGE INTO the
                       table (as its write.merge.mode says; a table the job
                       creates has merge-on-read: position deletes), each input
                       row replacing the table's row of its key or added; rows
                       whose key is not in the input stay. Two input rows with
                       one key fail (--on-duplicate-key fail) or the later one
                       in the file wins (last). --delete-when names a boolean
                       column whose true deletes the key's row (the column
                       stays in the table, false in every row it holds). A
                       missing table is created from the input's other rows.
                       The commit records pipeline.mode=merge with the
                       input's identity (through Iceberg's CommitMetadata): a
                       merge never counts as a commit that replaced every row.
                       Its summary adds "rowsBefore", "rowsRemoved" (the
                       table's rows replaced or deleted), "inserted",
                       "updated" and "deleted" (keys); its "rowsWritten" is
                       the input's rows the table got, one a key, none marked
                       for deletion.

Identity: with --input-sha256 (and --run-id, --trigger, --source), the commit
records them in its snapshot summary as pipeline.input-sha256, pipeline.run-id,
pipeline.trigger and pipeline.source, with pipeline.mode, as the app's
embedded engine does. After the commit, the job writes it to the table's load
ledger, the Iceberg table <table>_loads beside it (as lake.LoadLedger does):
one row per commit, which outlives snapshot expiry and compaction. An input
whose SHA-256 the table already holds (its newest load, in the ledger or in a
snapshot still there, with no commit after it that replaced every row; a
compaction's "replace" never does) is not loaded again unless
--reload-same-input is given: the summary then says "skipped": true and names
the snapshot and run that loaded it. A job killed between the data commit and
the ledger's write loses nothing: the next job writes what the ledger lacks.

With --table-location-prefix, a table the job creates (the data table when
missing, the ledger) gets the location <prefix>/<namespace>/<name>: for an
emulator's REST catalog that stores none when the request names none. On AWS,
S3 Tables chooses every table's location: leave it out.

On success exactly one line is printed to stdout:

    LOAD_SUMMARY {"table": ..., "mode": ..., "rowsWritten": N, "snapshotId": ID, "rowsInTable": M,
                  "ledger": "ns.table_loads", "ledgerRecorded": true}
    LOAD_SUMMARY {"table": ..., "mode": ..., "skipped": true, "snapshotId": ID, "loadedBy": RUN,
                  "ledger": "ns.table_loads"}

On failure a single "ERROR: ..." line is written to stderr (its last line;
unexpected Spark/Iceberg errors are preceded by their Python traceback) and the
exit code is non-zero: 2 for usage/configuration errors and schema mismatches,
1 for anything else (missing input, Spark/Iceberg failures). Under
spark-submit, Spark merges the Python driver's stderr into stdout, so these
messages are written through the driver JVM's System.err instead.

Only APIs present in Spark 3.5 and Iceberg 1.6 are used.
"""

import argparse
import datetime
import json
import os
import re
import sys
import traceback

SUMMARY_PREFIX = "LOAD_SUMMARY "
MODES = ("overwrite", "append", "merge")
DUPLICATE_KEYS = ("fail", "last")
# Catalog, namespace and table names: letters, digits, underscore, hyphen.
# (S3 Tables itself only allows lowercase letters, digits and underscores.)
_IDENT_RE = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_-]*$")

# snapshot summary properties of a commit's input, shared with the app (lake.CommitIdentity)
IDENTITY_PROPERTIES = (
    ("input_sha256", "pipeline.input-sha256"),
    ("run_id", "pipeline.run-id"),
    ("trigger", "pipeline.trigger"),
    ("source", "pipeline.source"),
    ("mode", "pipeline.mode"),
)
# the load ledger beside the table (lake.LoadLedger): its name, columns and the property of its newest row
LEDGER_SUFFIX = "_loads"
# How many times a merge plans and commits before a stream of commits made meanwhile makes it give up, as the
# embedded engine (lake.EmbeddedIcebergLoadEngine.MERGE_ATTEMPTS)
MERGE_ATTEMPTS = 4
LEDGER_COLUMNS = (
    ("table_uuid", "STRING"),
    ("snapshot_id", "BIGINT"),
    ("sequence_number", "BIGINT"),
    ("committed_at", "TIMESTAMP"),
    ("operation", "STRING"),
    ("replaces_rows", "BOOLEAN"),
    ("input_sha256", "STRING"),
    ("input_bytes", "BIGINT"),
    ("run_id", "STRING"),
    ("trigger", "STRING"),
    ("source", "STRING"),
    ("rows_added", "BIGINT"),
    ("recorded_at", "TIMESTAMP"),
)
RECORDED_THROUGH = "pipeline.ledger.recorded-through"

EXIT_FAILURE = 1
EXIT_USAGE = 2


def _jvm():
    """The driver JVM when one is already running, else None (never starts one)."""
    try:
        from pyspark import SparkContext

        if SparkContext._jvm is not None:
            return SparkContext._jvm
        if "PYSPARK_GATEWAY_PORT" in os.environ:  # started by spark-submit: connect, cheap
            from pyspark.java_gateway import launch_gateway

            return launch_gateway().jvm
    except Exception:
        pass
    return None


def write_stderr(text):
    """Write text to the process's real stderr.

    Under spark-submit the Python driver is a child of the JVM (PythonRunner),
    which merges the child's stderr into the JVM's *stdout*. To keep stdout for
    the summary line only, messages go through the JVM's System.err when a
    driver JVM exists.
    """
    sys.stdout.flush()
    jvm = _jvm()
    if jvm is not None:
        try:
            jvm.System.err.print(text if text.endswith("\n") else text + "\n")
            jvm.System.err.flush()
            return
        except Exception:
            pass
    sys.stderr.write(text if text.endswith("\n") else text + "\n")
    sys.stderr.flush()


class LoadError(Exception):
    """An expected failure with a clear message (no traceback is printed)."""

    exit_code = EXIT_FAILURE


class ConfigError(LoadError):
    exit_code = EXIT_USAGE


class SchemaMismatchError(LoadError):
    exit_code = EXIT_USAGE


class UsageError(Exception):
    def __init__(self, usage, message):
        super().__init__(message)
        self.usage = usage


class _ArgumentParser(argparse.ArgumentParser):
    """Raises instead of printing to (under spark-submit, merged) stderr and exiting."""

    def error(self, message):
        raise UsageError(self.format_usage().rstrip(), message)


def parse_args(argv=None):
    parser = _ArgumentParser(
        prog="load_to_iceberg.py",
        description="Load a Parquet input into an Iceberg table.",
    )
    parser.add_argument("--input", required=True, help="Parquet file or directory (path or URI, e.g. s3://...)")
    parser.add_argument("--catalog", default="s3tablesbucket", help="Spark catalog name (default: %(default)s)")
    parser.add_argument("--namespace", default="data", help="Namespace (default: %(default)s)")
    parser.add_argument("--table", default="products", help="Table name (default: %(default)s)")
    parser.add_argument("--mode", choices=MODES, default="overwrite",
                        help="overwrite, append or merge (default: %(default)s)")
    parser.add_argument("--key", help="merge: the column(s) that identify a row, comma-separated")
    parser.add_argument("--on-duplicate-key", choices=DUPLICATE_KEYS, default="fail",
                        help="merge: two input rows with one key fail, or the later wins (default: %(default)s)")
    parser.add_argument("--delete-when", help="merge: a boolean column whose true deletes the key's row")
    parser.add_argument("--input-sha256", help="SHA-256 of the input the Parquet was converted from")
    parser.add_argument("--run-id", help="the pipeline run loading it")
    parser.add_argument("--trigger", help="what started the run")
    parser.add_argument("--source", help="where the input came from (no secrets)")
    parser.add_argument("--reload-same-input", action="store_true",
                        help="load the input even if the table already holds its SHA-256")
    parser.add_argument("--convert-spec",
                        help="the input is a CSV: the convert spec (JSON) the app wrote beside it, path or URI")
    parser.add_argument("--rejects", help="with --convert-spec: where the rejected rows go, path or URI")
    parser.add_argument("--table-location-prefix",
                        help="s3:// prefix of the location of a table the job creates, <prefix>/<namespace>/<name>;"
                             " for an emulator's catalog that chooses none, never on AWS")
    args = parser.parse_args(argv)
    if not args.input.strip():
        parser.error("--input must not be empty")
    args.keys = [k.strip() for k in (args.key or "").split(",") if k.strip()]
    if args.mode == "merge" and not args.keys:
        parser.error("--mode merge needs --key")
    if args.mode != "merge" and (args.keys or args.delete_when):
        parser.error("--key and --delete-when are for --mode merge only")
    if args.table_location_prefix is not None:
        if not re.match(r"^s3://[^/]+(/.*)?$", args.table_location_prefix):
            parser.error("--table-location-prefix must be an s3:// URI, was %r" % args.table_location_prefix)
        args.table_location_prefix = args.table_location_prefix.rstrip("/")
    for flag in ("catalog", "namespace", "table"):
        value = getattr(args, flag)
        if not _IDENT_RE.match(value):
            parser.error(
                "--%s %r is not a valid name (use letters, digits, '_' or '-')" % (flag, value)
            )
    return args


def quote(name):
    return "`" + name.replace("`", "``") + "`"


def one_line(exc):
    """A short single-line description of an exception (Spark's are multi-line)."""
    java_exc = getattr(exc, "java_exception", None)  # py4j.protocol.Py4JJavaError
    if java_exc is not None:
        try:
            text = str(java_exc.toString())
        except Exception:  # pragma: no cover - JVM already gone
            text = str(exc)
    else:
        text = str(exc)
    for line in text.splitlines():
        line = line.strip()
        if line:
            return line[:1000]
    return type(exc).__name__


def check_catalog_configured(spark, catalog):
    if catalog == "spark_catalog":
        return
    impl = spark.conf.get("spark.sql.catalog." + catalog, None)
    if not impl:
        raise ConfigError(
            "catalog '%s' is not configured: set spark.sql.catalog.%s "
            "(e.g. org.apache.iceberg.spark.SparkCatalog) and its options via --conf" % (catalog, catalog)
        )


def read_input(spark, path):
    try:
        df = spark.read.parquet(path)
        rows = df.count()
    except Exception as exc:  # AnalysisException, Py4JJavaError, ...
        msg = one_line(exc)
        if "PATH_NOT_FOUND" in msg or "does not exist" in msg.lower() or "FileNotFoundException" in msg:
            raise LoadError("input path does not exist: %s" % path) from exc
        raise LoadError("cannot read Parquet input %s: %s" % (path, msg)) from exc
    return df, rows


def _type_string(data_type):
    # simpleString() leaves out nullability, which Iceberg/Spark handle themselves.
    return data_type.simpleString()


def schema_differences(input_schema, table_schema, case_sensitive=False):
    """Return a list of human-readable differences between two StructTypes."""

    def key(name):
        return name if case_sensitive else name.lower()

    table_fields = {key(f.name): f for f in table_schema.fields}
    input_fields = {key(f.name): f for f in input_schema.fields}

    extra = [f.name for f in input_schema.fields if key(f.name) not in table_fields]
    missing = [f.name for f in table_schema.fields if key(f.name) not in input_fields]
    changed = []
    for f in input_schema.fields:
        t = table_fields.get(key(f.name))
        if t is not None and _type_string(f.dataType) != _type_string(t.dataType):
            changed.append(
                "%s (input %s, table %s)" % (f.name, _type_string(f.dataType), _type_string(t.dataType))
            )

    diffs = []
    if extra:
        diffs.append("column(s) not in table: " + ", ".join(extra))
    if missing:
        diffs.append("column(s) missing from input: " + ", ".join(missing))
    if changed:
        diffs.append("type mismatch: " + ", ".join(changed))
    return diffs


def table_exists(spark, table_name):
    # Catalog.tableExists accepts multi-part (catalog.namespace.table) names since Spark 3.4.
    return bool(spark.catalog.tableExists(table_name))


def current_snapshot(spark, table_name):
    rows = spark.sql(
        "SELECT snapshot_id FROM %s.snapshots ORDER BY committed_at DESC LIMIT 1" % table_name
    ).collect()
    return int(rows[0]["snapshot_id"]) if rows else None


def rows_in_table(spark, table_name, snapshot_id):
    if snapshot_id is None:
        return spark.table(table_name).count()
    return int(
        spark.sql("SELECT count(*) AS n FROM %s VERSION AS OF %d" % (table_name, snapshot_id)).collect()[0]["n"]
    )


def replaces_every_row(summary, operation):
    """Whether a commit replaced every row of the table (lake.CommitIdentity.replacesEveryRow).

    A commit of the pipeline's says so by its mode; of anyone else's, a commit
    that is not a compaction ("replace") and leaves only the rows it added.
    """
    mode = summary.get("pipeline.mode")
    if mode is not None:
        return mode == "overwrite"
    if operation == "replace":
        return False
    total = summary.get("total-records")
    return total is not None and total == summary.get("added-records", "0")


def _number(value):
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def _order(record):
    return (record["sequence_number"], record["committed_at_ms"])


def iceberg_table(spark, table_name):
    """The Iceberg Java table behind a Spark table name, in the driver JVM."""
    jvm = spark._jvm
    return jvm.org.apache.iceberg.spark.Spark3Util.loadIcebergTable(spark._jsparkSession, table_name)


def history(spark, table_name):
    """What the snapshots still there say (lake.CommitIdentity.recordOf): loads and full replacements."""
    table = iceberg_table(spark, table_name)
    uuid = str(table.uuid().toString())
    records = []
    ancestors = spark._jvm.org.apache.iceberg.util.SnapshotUtil.currentAncestors(table).iterator()
    while ancestors.hasNext():
        snapshot = ancestors.next()
        summary = dict(snapshot.summary())
        operation = snapshot.operation()
        replaces = replaces_every_row(summary, operation)
        sha = summary.get("pipeline.input-sha256")
        if sha is None and not replaces:
            continue
        records.append({
            "table_uuid": uuid,
            "snapshot_id": int(snapshot.snapshotId()),
            "sequence_number": int(snapshot.sequenceNumber()),
            "committed_at_ms": int(snapshot.timestampMillis()),
            "operation": summary.get("pipeline.mode", operation),
            "replaces_rows": replaces,
            "input_sha256": sha,
            "input_bytes": _number(summary.get("pipeline.input-bytes")),
            "run_id": summary.get("pipeline.run-id"),
            "trigger": summary.get("pipeline.trigger"),
            "source": summary.get("pipeline.source"),
            "rows_added": _number(summary.get("added-records")),
        })
    return uuid, records


def read_ledger(spark, ledger_name, where):
    rows = spark.sql(
        "SELECT table_uuid, snapshot_id, sequence_number, committed_at, operation, replaces_rows, input_sha256,"
        " run_id FROM %s WHERE %s" % (ledger_name, where)
    ).collect()
    return [{
        "table_uuid": row["table_uuid"],
        "snapshot_id": int(row["snapshot_id"]),
        "sequence_number": int(row["sequence_number"] or 0),
        "committed_at_ms": int(row["committed_at"].timestamp() * 1000) if row["committed_at"] else 0,
        "operation": row["operation"],
        "replaces_rows": bool(row["replaces_rows"]),
        "input_sha256": row["input_sha256"],
        "run_id": row["run_id"],
        "in_ledger": True,
    } for row in rows]


def sql_string(value):
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def prior_load(spark, table_name, ledger_name, input_sha256):
    """The (snapshot id, run id, in the ledger) of the load of input_sha256 the table holds now, else None.

    The newest load of the input, in the ledger or in a snapshot still there,
    unless a commit after it replaced every row (lake.LoadLedger.find).
    """
    uuid, records = history(spark, table_name)
    loads = [r for r in records if r["input_sha256"] == input_sha256]
    has_ledger = table_exists(spark, ledger_name)
    if has_ledger:
        loads += read_ledger(spark, ledger_name, "table_uuid = %s AND input_sha256 = %s"
                             % (sql_string(uuid), sql_string(input_sha256)))
    if not loads:
        return None
    newest = max(loads, key=_order)
    later = [r for r in records if r["replaces_rows"] and _order(r) > _order(newest)]
    if has_ledger and not later:
        later = [r for r in read_ledger(spark, ledger_name, "table_uuid = %s AND replaces_rows AND sequence_number >= %d"
                                        % (sql_string(uuid), newest["sequence_number"]))
                 if _order(r) > _order(newest)]
    if later:
        return None
    in_ledger = any(r.get("in_ledger") and r["snapshot_id"] == newest["snapshot_id"] for r in loads)
    return newest["snapshot_id"], newest["run_id"] or "unknown", in_ledger


def record_loads(spark, table_name, ledger_name, ledger_location=None):
    """Writes to the ledger every commit of the table's history it lacks (lake.LoadLedger.record).

    A ledger made here is made at ledger_location unless None (new_table_location).
    """
    location = "" if ledger_location is None else " LOCATION %s" % sql_string(ledger_location)
    spark.sql("CREATE TABLE IF NOT EXISTS %s (%s) USING iceberg%s TBLPROPERTIES ('format-version'='2')"
              % (ledger_name, ", ".join("%s %s" % column for column in LEDGER_COLUMNS), location))
    uuid, records = history(spark, table_name)
    through = str(iceberg_table(spark, ledger_name).properties().get(RECORDED_THROUGH) or "").split(" ")
    last = None
    if len(through) == 3 and through[0] == uuid:
        last = (int(through[1]), int(through[2]))
    newer = [r for r in records if last is None or _order(r) > last]
    if not newer:
        return []
    where = "table_uuid = %s" % sql_string(uuid)
    if last is not None:
        where += " AND sequence_number >= %d" % last[0]
    recorded = {r["snapshot_id"] for r in read_ledger(spark, ledger_name, where)}
    missing = sorted((r for r in newer if r["snapshot_id"] not in recorded), key=_order)
    if missing:
        from pyspark.sql.types import (BooleanType, LongType, StringType, StructField, StructType,
                                       TimestampType)

        types = {"STRING": StringType(), "BIGINT": LongType(), "BOOLEAN": BooleanType(),
                 "TIMESTAMP": TimestampType()}
        schema = StructType([StructField(name, types[kind], True) for name, kind in LEDGER_COLUMNS])
        now = datetime.datetime.now(datetime.timezone.utc)
        rows = [tuple(now if name == "recorded_at"
                      else datetime.datetime.fromtimestamp(r["committed_at_ms"] / 1000.0, datetime.timezone.utc)
                      if name == "committed_at" else r.get(name)
                      for name, _ in LEDGER_COLUMNS) for r in missing]
        spark.createDataFrame(rows, schema).writeTo(ledger_name).append()
    newest = max(newer, key=_order)
    spark.sql("ALTER TABLE %s SET TBLPROPERTIES ('%s' = '%s %d %d')"
              % (ledger_name, RECORDED_THROUGH, uuid, newest["sequence_number"], newest["committed_at_ms"]))
    return missing


def identity_options(args):
    """The writer options that put the input's identity into the commit's snapshot summary."""
    return {
        "snapshot-property." + key: getattr(args, attr)
        for attr, key in IDENTITY_PROPERTIES
        if getattr(args, attr)
    }


def record_quietly(spark, table_name, ledger_name, display, ledger_location=None):
    """record_loads, a failure said on stderr: the commit is done, and the next job writes the row."""
    try:
        record_loads(spark, table_name, ledger_name, ledger_location)
        return True
    except Exception as exc:
        write_stderr("WARNING: cannot write to the load ledger %s (%s); the next load writes its row"
                     % (display, one_line(exc)))
        return False


def new_table_location(args, name):
    """Where a table the job creates lives: <prefix>/<namespace>/<name> with --table-location-prefix, else None.

    None leaves it to the catalog (S3 Tables chooses it); an emulator's REST catalog that chooses none (MiniStack
    stores none when the request names none) needs one, or no client can load the table again.
    """
    if args.table_location_prefix is None:
        return None
    return "%s/%s/%s" % (args.table_location_prefix, args.namespace, name)


def new_table(writer, location, created=True):
    """A DataFrameWriterV2 that creates an Iceberg table of format-version 2, at location unless None.

    A table it creates (created) merges with position deletes (write.merge.mode=merge-on-read), as the app's
    embedded engine makes its tables; a table it replaces keeps the merge mode it has.
    """
    writer = writer.using("iceberg").tableProperty("format-version", "2")
    if created:
        writer = writer.tableProperty("write.merge.mode", "merge-on-read")
    return writer if location is None else writer.tableProperty("location", location)


def load(spark, args):
    display_name = "%s.%s.%s" % (args.catalog, args.namespace, args.table)
    namespace = "%s.%s" % (quote(args.catalog), quote(args.namespace))
    table_name = "%s.%s" % (namespace, quote(args.table))

    check_catalog_configured(spark, args.catalog)
    converted = {}
    if args.convert_spec:
        spec = read_spec(spark, args.convert_spec)
        # the app's time zone for instants without an offset; a value no pattern reads is null, not an error
        spark.conf.set("spark.sql.session.timeZone", spec["timeZone"])
        spark.conf.set("spark.sql.legacy.timeParserPolicy", "CORRECTED")
        df, read, rejected, rejects = read_csv_input(spark, args, spec)
        input_rows = read - rejected
        converted = {"convertedOn": "spark", "rowsRead": read, "rowsRejected": rejected, "rejects": rejects}
        if read == 0:
            return {"table": display_name, "mode": args.mode, "skipped": True, "noRows": True, **converted}
        if args.mode != "merge":
            df = df.drop(_ROW)
    else:
        df, input_rows = read_input(spark, args.input)

    # A new namespace (like a new table, created by the write's own commit) exists only if the load commits.
    created_namespace = not namespace_exists(spark, namespace)
    if created_namespace:
        spark.sql("CREATE NAMESPACE IF NOT EXISTS %s" % namespace)
    try:
        summary = write(spark, args, df, input_rows, display_name, table_name)
        return {**summary, **converted} if not summary.get("skipped") else summary
    except BaseException:
        if created_namespace:
            drop_namespace_if_empty(spark, namespace)
        raise


def namespace_exists(spark, namespace):
    try:
        spark.sql("DESCRIBE NAMESPACE %s" % namespace).collect()
        return True
    except Exception:  # AnalysisException: no such namespace
        return False


def drop_namespace_if_empty(spark, namespace):
    try:
        spark.sql("DROP NAMESPACE IF EXISTS %s" % namespace)  # not CASCADE: a namespace holding a table stays
    except Exception as exc:
        write_stderr("WARNING: cannot drop the namespace %s this load created: %s" % (namespace, one_line(exc)))


def write(spark, args, df, input_rows, display_name, table_name):
    """Writes the input into the table (creating it in the same commit when it is missing)."""
    ledger_name = "%s.%s.%s" % (quote(args.catalog), quote(args.namespace), quote(args.table + LEDGER_SUFFIX))
    ledger_display = "%s.%s%s" % (args.namespace, args.table, LEDGER_SUFFIX)
    ledger_location = new_table_location(args, args.table + LEDGER_SUFFIX)
    if args.input_sha256 and not args.reload_same_input and table_exists(spark, table_name):
        try:
            prior = prior_load(spark, table_name, ledger_name, args.input_sha256)
        except Exception as exc:  # a catalog whose metadata tables cannot be read
            if args.mode == "append":
                raise LoadError(
                    "cannot read the snapshot history of %s to check whether this input is loaded already: %s"
                    % (display_name, one_line(exc))
                ) from exc
            # an overwrite replaces every row anyway, a merge replaces each key's row: the same input again doubles
            # nothing
            write_stderr("WARNING: cannot read the snapshot history of %s (%s); %s it"
                         % (display_name, one_line(exc), "merging into" if args.mode == "merge" else "overwriting"))
            prior = None
        if prior is not None and not prior[2]:
            # its job was killed before the ledger's write: written now, from the snapshot
            prior = prior[:2] + (record_quietly(spark, table_name, ledger_name, ledger_display, ledger_location),)
        if prior is not None:
            summary = {"table": display_name, "mode": args.mode, "skipped": True,
                       "snapshotId": prior[0], "loadedBy": prior[1]}
            if prior[2]:
                summary["ledger"] = ledger_display
            return summary

    options = identity_options(args)
    merged = {}
    if args.mode == "merge":
        input_rows, merged = merge(spark, args, df, table_name, display_name)
    elif args.mode == "overwrite":
        # a table replaced keeps its location; one created gets the prefix's
        exists = table_exists(spark, table_name)
        location = None if exists else new_table_location(args, args.table)
        new_table(df.writeTo(table_name).options(**options), location, created=not exists).createOrReplace()
    elif not table_exists(spark, table_name):
        new_table(df.writeTo(table_name).options(**options), new_table_location(args, args.table)).create()
    else:
        case_sensitive = str(spark.conf.get("spark.sql.caseSensitive", "false")).lower() == "true"
        diffs = schema_differences(df.schema, spark.table(table_name).schema, case_sensitive)
        if diffs:
            raise SchemaMismatchError(
                "input schema of %s does not match table %s: %s"
                % (args.input, display_name, "; ".join(diffs))
            )
        df.writeTo(table_name).options(**options).append()

    snapshot_id = current_snapshot(spark, table_name)
    recorded = bool(args.input_sha256) and record_quietly(spark, table_name, ledger_name, ledger_display,
                                                          ledger_location)
    return {
        "table": display_name,
        "mode": args.mode,
        **merged,
        "rowsWritten": input_rows,
        "snapshotId": snapshot_id,
        "rowsInTable": rows_in_table(spark, table_name, snapshot_id),
        "ledger": ledger_display,
        "ledgerRecorded": recorded,
    }


def deduplicated(spark, args, df):
    """The input with one row a key: two rows with one key fail, or the later one in the file is kept."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    keys = [F.col(quote(k)) for k in args.keys]
    if args.on_duplicate_key == "fail":
        twice = df.groupBy(*keys).count().where(F.col("count") > 1).limit(1).collect()
        if twice:
            raise LoadError(duplicate_key_message(df, args, twice[0]))
        return df
    # the later in the file wins: its position in its file, as Spark's Parquet reader gives it, or the CSV reader's
    order = ([F.col(_ROW).desc()] if _ROW in df.columns
             else [F.col("_metadata.file_path").desc(), F.col("_metadata.row_index").desc()])
    ranked = df.withColumn("_pipeline_rank", F.row_number().over(Window.partitionBy(*keys).orderBy(*order)))
    return ranked.where(F.col("_pipeline_rank") == 1).drop("_pipeline_rank")


def duplicate_key_message(df, args, row):
    """Names the key two rows of the input share and the first two rows with it (1-based, in their file)."""
    from pyspark.sql import functions as F

    key = ", ".join("%s = %s" % (k, row[k]) for k in args.keys)
    match = None
    for k in args.keys:
        condition = F.col(quote(k)).eqNullSafe(row[k])
        match = condition if match is None else match & condition
    if _ROW in df.columns:  # a CSV read by the job: its data rows, counted from 1 (not its lines)
        found = df.where(match).select((F.col(_ROW) + 1).alias("row")).orderBy("row").limit(2).collect()
        return ("two rows of %s have the key %s: data rows %s; a merge takes one row a key: fix the input, or pass"
                " --on-duplicate-key last to keep the later row"
                % (args.source or args.input, key, " and ".join("%d" % r["row"] for r in found)))
    found = (df.where(match).select(F.col("_metadata.file_name").alias("file"),
                                    (F.col("_metadata.row_index") + 1).alias("row"))
             .orderBy("file", "row").limit(2).collect())
    rows = " and ".join("%d" % r["row"] for r in found)
    return ("two rows of %s have the key %s: rows %s of %s; a merge takes one row a key: fix the input, or"
            " pass --on-duplicate-key last to keep the later row" % (args.input, key, rows, found[0]["file"]))


def with_commit_properties(spark, properties, action):
    """Runs action() so that the snapshot it commits carries properties (Iceberg's CommitMetadata, for SQL)."""
    from pyspark.java_gateway import ensure_callback_server_started

    context = spark.sparkContext
    ensure_callback_server_started(context._gateway)
    jvm = context._jvm
    java_properties = jvm.java.util.HashMap()
    for key, value in properties.items():
        java_properties.put(key, value)
    failures = []

    class Action(object):
        def call(self):
            try:
                action()
            except Exception as exc:  # handed back to the caller's thread, not lost in the callback
                failures.append(exc)
            return None

        class Java:
            implements = ["java.util.concurrent.Callable"]

    jvm.org.apache.iceberg.spark.CommitMetadata.withCommitProperties(
        java_properties, Action(), jvm.java.lang.Class.forName("java.lang.RuntimeException"))
    if failures:
        raise failures[0]


def snapshot_before(spark, table_name):
    """The table's current snapshot id, None for a table without one, from its metadata as the catalog gave it.

    Not from the .snapshots metadata table, which a REST catalog's table created empty (S3 Tables' CreateTable, in
    MiniStack) may not read.
    """
    snapshot = iceberg_table(spark, table_name).currentSnapshot()
    return None if snapshot is None else int(snapshot.snapshotId())


def before_merge():
    """Runs between a merge's plan and its statement: where a test commits as another writer would meanwhile."""


def commit_conflict(exc):
    """Whether a MERGE failed on a commit made since its scan (Iceberg's validation, or a commit lost in a race)."""
    text = str(exc)
    return ("org.apache.iceberg.exceptions.ValidationException" in text
            or "org.apache.iceberg.exceptions.CommitFailedException" in text)


def plan_merge(spark, args, df, source, deleting, table_name):
    """The counts of a merge against the table's current snapshot, and its MERGE INTO statement."""
    from pyspark.sql import functions as F

    before = snapshot_before(spark, table_name)
    target = spark.table(table_name) if before is None else \
        spark.sql("SELECT * FROM %s VERSION AS OF %d" % (table_name, before))
    rows_before = target.count()
    rows_removed = target.join(source.select(*args.keys), args.keys, "left_semi").count()
    found = source.join(target.select(*args.keys).distinct(), args.keys, "left_semi")
    updated = found.where(~deleting).count()
    deleted = found.where(deleting).count()
    written = source.where(~deleting).count()

    # Each input row twice: with its key, to delete the table's rows of that key (all of them, should the table
    # hold one twice), and with no key, to be inserted unless marked: one row a key after, as the embedded engine.
    matching = source.select("*", *[F.col(quote(k)).alias("_pipeline_key_%d" % i) for i, k in enumerate(args.keys)],
                             F.lit(False).alias("_pipeline_insert"))
    inserting = source.select("*", *[F.lit(None).cast(source.schema[k].dataType).alias("_pipeline_key_%d" % i)
                                     for i, k in enumerate(args.keys)], F.lit(True).alias("_pipeline_insert"))
    view = "pipeline_merge_input"
    matching.unionByName(inserting).createOrReplaceTempView(view)
    on = " AND ".join("t.%s = s._pipeline_key_%d" % (quote(k), i) for i, k in enumerate(args.keys))
    insert = "s._pipeline_insert"
    if args.delete_when:
        insert += " AND NOT coalesce(s.%s, false)" % quote(args.delete_when)
    columns = [quote(c) for c in df.columns]
    statement = ("MERGE INTO %s t USING %s s ON %s WHEN MATCHED THEN DELETE WHEN NOT MATCHED AND %s THEN INSERT (%s)"
                 " VALUES (%s)" % (table_name, view, on, insert, ", ".join(columns),
                                   ", ".join("s." + c for c in columns)))
    return (rows_before, rows_removed, updated, deleted, written), statement


def merge(spark, args, df, table_name, display_name):
    """MERGE INTO the table on args.keys; a missing table is created from the input's rows not deleted.

    Returns the rows the table got for the input, and the summary's counts of the merge.
    """
    from pyspark.sql import functions as F

    missing = [k for k in args.keys + ([args.delete_when] if args.delete_when else []) if k not in df.columns]
    if missing:
        raise SchemaMismatchError("input %s has no column(s) %s named by --key or --delete-when"
                                  % (args.input, ", ".join(missing)))
    source = deduplicated(spark, args, df)
    if _ROW in df.columns:
        df, source = df.drop(_ROW), source.drop(_ROW)
    deleting = F.coalesce(F.col(quote(args.delete_when)), F.lit(False)) if args.delete_when else F.lit(False)
    properties = {key[len("snapshot-property."):]: value for key, value in identity_options(args).items()}
    if not table_exists(spark, table_name):
        rows = source.where(~deleting)
        options = {"snapshot-property." + key: value for key, value in properties.items()}
        new_table(rows.writeTo(table_name).options(**options), new_table_location(args, args.table)).create()
        written = rows_in_table(spark, table_name, current_snapshot(spark, table_name))
        return written, {"rowsBefore": 0, "rowsRemoved": 0, "inserted": written, "updated": 0, "deleted": 0}

    case_sensitive = str(spark.conf.get("spark.sql.caseSensitive", "false")).lower() == "true"
    diffs = schema_differences(df.schema, spark.table(table_name).schema, case_sensitive)
    if diffs:
        raise SchemaMismatchError(
            "input schema of %s does not match table %s: %s" % (args.input, display_name, "; ".join(diffs)))
    source = source.cache()
    for attempt in range(1, MERGE_ATTEMPTS + 1):
        if attempt > 1:
            # the catalog may hold the table as it was when this job first read it
            spark.sql("REFRESH TABLE %s" % table_name)
        counts, statement = plan_merge(spark, args, df, source, deleting, table_name)
        before_merge()
        try:
            with_commit_properties(spark, properties, lambda: spark.sql(statement))
            break
        except Exception as exc:
            if not commit_conflict(exc):
                raise
            if attempt == MERGE_ATTEMPTS:
                raise LoadError("the merge into %s met a commit made meanwhile %d times and was given up; the table"
                                " is unchanged: %s" % (display_name, MERGE_ATTEMPTS, one_line(exc))) from exc
            write_stderr("WARNING: the merge into %s met a commit made meanwhile (%s); planning it again from the new"
                         " snapshot (attempt %d of %d)" % (display_name, one_line(exc), attempt + 1, MERGE_ATTEMPTS))
    rows_before, rows_removed, updated, deleted, written = counts
    source.unpersist()
    return written, {"rowsBefore": rows_before, "rowsRemoved": rows_removed, "inserted": written - updated,
                     "updated": updated, "deleted": deleted}


# --- the CSV input of a convert on Spark (pipeline.convert.on=spark): the app's convert rules, read by Spark ---

_CORRUPT = "_pipeline_corrupt"
_PROBLEM = "_pipeline_problem"
_ROW = "_pipeline_row"
_NUMBER = r"^[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)?$"
_FLOATING = r"^([+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)?|NaN|[+-]?Infinity)$"
_WHOLE = r"^[+-]?[0-9]+$"
_OFFSET = r"([zZ]|[+-][0-9]{2}(:?[0-9]{2})?)$"


def read_spec(spark, location):
    """The convert spec (JSON) the app wrote beside the input: a local path, or a URI Spark reads."""
    try:
        if os.path.exists(location):
            with open(location, encoding="utf-8") as fh:
                return json.load(fh)
        return json.loads(spark.read.text(location, wholetext=True).first()[0])
    except Exception as exc:
        raise ConfigError("cannot read the convert spec %s: %s" % (location, one_line(exc))) from exc


def snake_case(header, column):
    """The name the app's schema inference gives a header (convert.ColumnNames.name), column 0-based."""
    import unicodedata

    plain = unicodedata.normalize("NFD", header.strip())
    plain = "".join(c for c in plain if unicodedata.category(c) != "Mn")
    out = []
    gap = False
    for i, c in enumerate(plain):
        upper = "A" <= c <= "Z"
        kept = upper or "a" <= c <= "z" or "0" <= c <= "9"
        if not kept:
            gap = len(out) > 0
            continue
        if upper and out and not gap and _starts_word(plain, i):
            gap = True
        if gap:
            out.append("_")
            gap = False
        out.append(c.lower())
    name = "".join(out)[:255]
    if not name:
        return "column_%d" % (column + 1)
    return "column_" + name if name[0].isdigit() else name


def _starts_word(text, i):
    before = text[i - 1] if i > 0 else ""
    if ("a" <= before <= "z") or ("0" <= before <= "9"):
        return True
    after = text[i + 1] if i + 1 < len(text) else ""
    return ("A" <= before <= "Z") and ("a" <= after <= "z")


def normalise(name):
    """convert.ColumnMapping.normalise: trimmed, lower case, anything outside [a-z0-9_] an underscore."""
    return "".join(c if ("a" <= c <= "z" or "0" <= c <= "9" or c == "_") else "_" for c in name.strip().lower())


def map_columns(header, fields, strict, delimiter):
    """Each field's column index in the header, or -1 for a nullable field it lacks (convert.ColumnMapping)."""
    seen = {}
    for c, name in enumerate(header):
        if name in seen:
            raise LoadError("the header names the column '%s' twice (columns %d and %d)" % (name, seen[name] + 1, c + 1))
        seen[name] = c
    normalised = [normalise(h) for h in header]

    def find(field):
        if field in seen:
            return seen[field]
        for candidates in ([c for c in range(len(header)) if normalised[c] == normalise(field)],
                           [c for c in range(len(header)) if snake_case(header[c], c) == field]):
            if len(candidates) > 1:
                raise LoadError("the header columns '%s' and '%s' both match the field %s"
                                % (header[candidates[0]], header[candidates[1]], field))
            if candidates:
                return candidates[0]
        return -1

    columns = [find(f["name"]) for f in fields]
    missing = [f["name"] for f, c in zip(fields, columns) if c < 0 and not f["nullable"]]
    if missing:
        hint = ""
        if len(header) == 1:
            for other in (",", ";", "\t", "|"):
                if other != delimiter and other in header[0]:
                    hint = (" (a single column: the header contains '%s', is pipeline.convert.delimiter '%s' right?)"
                            % ("\\t" if other == "\t" else other, delimiter))
                    break
        raise LoadError("the header has no column for the required field(s) %s; the header found is [%s]%s"
                        % (", ".join(missing), ", ".join(header), hint))
    extra = [h for c, h in enumerate(header) if c not in columns]
    if extra and strict:
        raise LoadError("the header has columns that are not in the schema: %s (pipeline.convert.strict is true)"
                        % ", ".join(extra))
    return columns


def spark_pattern(pattern):
    """A java.time pattern as Spark's datetime patterns spell it: the proleptic year 'u' is Spark's 'y'."""
    out, quoted = [], False
    for c in pattern:
        if c == "'":
            quoted = not quoted
        out.append("y" if c == "u" and not quoted else c)
    return "".join(out)


def csv_options(spec):
    return {
        "sep": spec["delimiter"], "quote": spec["quote"], "escape": spec["quote"], "header": "false",
        "multiLine": "true", "mode": "PERMISSIVE",
        "ignoreLeadingWhiteSpace": "false", "ignoreTrailingWhiteSpace": "false",
        "encoding": spec.get("charset", "UTF-8"), "columnNameOfCorruptRecord": _CORRUPT,
        "maxColumns": str(spec["maxFieldsPerRecord"]), "maxCharsPerColumn": str(spec["maxFieldBytes"]),
        "unescapedQuoteHandling": "STOP_AT_DELIMITER",
    }


def _describe(field):
    return {"timestamp": "timestamp-micros", "timestamp_ntz": "local-timestamp-micros"}.get(field["type"], field["type"])


def convert_value(field, text, spec):
    """(value, problem): the field's value of the string column text as the app's convert reads it
    (convert.FieldConverters), and why it is not one (null when it is)."""
    from pyspark.sql import functions as F
    from pyspark.sql.types import DecimalType

    kind = field["type"]
    if kind.startswith("decimal("):
        precision, scale = [int(x) for x in kind[len("decimal("):-1].split(",")]
        exact = F.when(text.rlike(_NUMBER), text.cast(DecimalType(38, scale)))
        finer = F.when(text.rlike(_NUMBER), text.cast(DecimalType(38, min(38, scale + 18))))
        value = exact.cast(DecimalType(precision, scale))
        problem = (F.when(~text.rlike(_NUMBER), F.lit("not a decimal"))
                   .when(exact.isNull() | (finer.isNotNull() & (exact != finer)),
                         F.lit("has more than %d decimal places for %s" % (scale, kind)))
                   .when(value.isNull(), F.lit("has more digits than %s holds" % kind)))
    elif kind in ("int", "long"):
        value = F.when(text.rlike(_WHOLE), text.cast("int" if kind == "int" else "bigint"))
        problem = F.when(value.isNull(), F.lit("not an %s" % kind if kind == "int" else "not a long"))
    elif kind in ("float", "double"):
        value = F.when(text.rlike(_FLOATING), text.cast(kind))
        problem = F.when(value.isNull(), F.lit("not a %s" % kind))
    elif kind == "boolean":
        lower = F.lower(text)
        value = F.when(lower.isin("true", "yes"), F.lit(True)).when(lower.isin("false", "no"), F.lit(False))
        problem = F.when(value.isNull(), F.lit("not a boolean (true, false, yes or no)"))
    elif kind == "date":
        value = F.to_date(text, spark_pattern(spec["dateFormat"]))
        problem = F.when(value.isNull(), F.lit("not a date in the format %s (pipeline.convert.dateFormat)"
                                               % spec["dateFormat"]))
    elif kind in ("timestamp", "timestamp_ntz"):
        iso = spec["timestampFormat"].lower() == "iso"
        pattern = spark_pattern(spec["timestampFormat"])
        if iso:
            parsed = text.cast(kind)
        elif kind == "timestamp_ntz":
            parsed = F.to_timestamp_ntz(text, F.lit(pattern))
        else:
            parsed = F.to_timestamp(text, pattern)
        date = F.to_date(text, spark_pattern(spec["dateFormat"])).cast(kind)
        value = F.coalesce(parsed, date)
        reason = ("not a timestamp in the format %s (pipeline.convert.timestampFormat, a java.time pattern such as"
                  " MM/dd/yyyy HH:mm, or iso), nor a date (pipeline.convert.dateFormat)"
                  % ("ISO-8601, such as 2026-03-01T08:15:00, 2026-03-01 08:15:00.250 or 2026-03-01T08:15:00+02:00"
                     if iso else spec["timestampFormat"]))
        problem = F.when(value.isNull(), F.lit(reason))
        if kind == "timestamp_ntz":
            problem = F.when((F.length(text) > 10) & text.rlike(_OFFSET),
                             F.lit("has an offset, but the field holds wall-clock times (local-timestamp-micros);"
                                   " a field of instants (timestamp-micros) takes it")).otherwise(problem)
    else:
        return text, F.lit(None).cast("string")
    return value, problem


def convert_field(field, text, spec):
    """(value, problem) of a field whose CSV column is text, nulls as the app reads them."""
    from pyspark.sql import functions as F

    value, problem = convert_value(field, text, spec)
    label = field.get("label", field["name"])
    clipped = F.when(F.length(text) > 80, F.concat(F.substring(text, 1, 80), F.lit("... ("),
                                                   F.length(text).cast("string"), F.lit(" characters)"))
                     ).otherwise(text)
    problem = F.when(problem.isNotNull(), F.concat(F.lit("column %s, value '" % label), clipped, F.lit("': "),
                                                    problem))
    # an inferred field is as the app widens it: a value after the sample that is empty makes it nullable
    if field["nullable"] or field.get("inferred"):
        empty = (text == "") | (text == F.lit(spec["nullString"]))
        return F.when(~empty, value), F.when(~empty, problem)
    if field["type"] == "string" and not field.get("inferred"):
        return value, problem
    required = "empty, but %s field %s is required" % (_describe(field), field["name"])
    return (F.when(text != "", value),
            F.when(text == "", F.lit("column %s, value '': %s" % (label, required))).otherwise(problem))


def read_csv_input(spark, args, spec):
    """The CSV input converted by the spec's rules: (good rows, rows read, rejected rows, rejects location or None).

    Bad rows fail the load (onBadRow fail) or are written to args.rejects as line,reason,original (skip); Spark
    reads a record's fields, not its line, so the line is left empty.
    """
    from pyspark import StorageLevel
    from pyspark.sql import functions as F
    from pyspark.sql.types import StringType, StructField, StructType

    options = csv_options(spec)
    try:
        first = spark.read.options(**options).csv(args.input).limit(1).collect()
    except Exception as exc:
        msg = one_line(exc)
        if "PATH_NOT_FOUND" in msg or "does not exist" in msg.lower() or "FileNotFoundException" in msg:
            raise LoadError("input path does not exist: %s" % args.input) from exc
        raise LoadError("cannot read the CSV input %s: %s" % (args.input, msg)) from exc
    if not first:
        raise LoadError("the input is empty: no header row")
    header = [("" if v is None else v) for v in first[0]]
    header[0] = header[0].lstrip("\ufeff")
    fields = spec["fields"]
    columns = map_columns(header, fields, spec.get("strict", False), spec["delimiter"])
    for field, c in zip(fields, columns):
        if c >= 0 and header[c] != field["name"]:
            field["label"] = "'%s' (field %s)" % (header[c], field["name"])
    raw = ["_c%d" % c for c in range(len(header))]
    schema = StructType([StructField(n, StringType()) for n in raw] + [StructField(_CORRUPT, StringType())])
    rows = (spark.read.options(**dict(options, header="true")).schema(schema).csv(args.input)
            .withColumn(_ROW, F.monotonically_increasing_id()))
    values, problems = [], []
    for field, c in zip(fields, columns):
        if c < 0:
            values.append(F.lit(None).cast(spark_type(field)).alias(field["name"]))
            continue
        # Spark reads an empty field as null whatever its options: the app's rules read it as ""
        value, problem = convert_field(field, F.coalesce(F.col(raw[c]), F.lit("")), spec)
        values.append(value.cast(spark_type(field)).alias(field["name"]))
        problems.append(problem)
    fields_in = F.udf(lambda record: field_count(record, spec["delimiter"], spec["quote"]), "int")
    count_problem = F.when(F.col(_CORRUPT).isNotNull(),
                           F.concat(F.lit("expected %d fields as in the header, found " % len(header)),
                                    fields_in(F.col(_CORRUPT)).cast("string")))
    problem = F.coalesce(count_problem, *problems) if problems else count_problem
    original = F.coalesce(F.regexp_replace(F.col(_CORRUPT), "\r?\n$", ""),
                          F.concat_ws(spec["delimiter"], *[_quoted(F.coalesce(F.col(n), F.lit("")), spec)
                                                           for n in raw]))
    converted = rows.select(*values, F.col(_ROW), problem.alias(_PROBLEM), original.alias("_pipeline_original"))
    converted = converted.persist(StorageLevel.MEMORY_AND_DISK)
    read = converted.count()
    bad = converted.where(F.col(_PROBLEM).isNotNull())
    found = bad.orderBy(_ROW).select(_PROBLEM, "_pipeline_original").limit(spec["maxRejects"] + 1).collect()
    if found and spec["onBadRow"] == "fail":
        raise LoadError("a row of %s, %s" % (args.source or args.input, found[0][_PROBLEM]))
    if len(found) > spec["maxRejects"]:
        raise LoadError("more than %d rows were rejected (pipeline.convert.maxRejects); the first: a row, %s"
                        % (spec["maxRejects"], found[0][_PROBLEM]))
    rejects = None
    if found:
        if not args.rejects:
            raise ConfigError("rows were rejected but no --rejects location was given")
        write_rejects(spark, args.rejects, found)
        rejects = args.rejects
    good = converted.where(F.col(_PROBLEM).isNull()).drop(_PROBLEM, "_pipeline_original")
    return good, read, len(found), rejects


def field_count(record, delimiter, quote):
    """How many fields a record Spark found malformed holds, read as the app reads a record."""
    import csv

    if record is None:
        return None
    rows = list(csv.reader([record.rstrip("\r\n")], delimiter=delimiter, quotechar=quote, strict=False))
    return len(rows[0]) if rows else 0


def _quoted(column, spec):
    """A field printed again as the app's rejects file does: quoted when it holds the delimiter, quote or a line end."""
    from pyspark.sql import functions as F

    q = spec["quote"]
    needs = column.contains(spec["delimiter"]) | column.contains(q) | column.contains("\n") | column.contains("\r")
    return F.when(needs, F.concat(F.lit(q), F.regexp_replace(column, "\\Q%s\\E" % q, (q + q).replace("$", "\\$")), F.lit(q))).otherwise(column)


def write_rejects(spark, location, rows):
    """The rejects CSV (line,reason,original), written once by the driver through Hadoop's FileSystem."""
    import csv
    import io

    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(["line", "reason", "original"])
    for row in rows:
        writer.writerow(["", row[_PROBLEM], row["_pipeline_original"]])
    jvm = spark._jvm
    path = jvm.org.apache.hadoop.fs.Path(location)
    out = path.getFileSystem(spark._jsc.hadoopConfiguration()).create(path, True)
    try:
        out.write(bytearray(text.getvalue().encode("utf-8")))
    finally:
        out.close()


def spark_type(field):
    kind = field["type"]
    return {"int": "int", "long": "bigint", "timestamp_ntz": "timestamp_ntz"}.get(kind, kind)


def main(argv=None, session=None):
    """The job; returns its exit code. session: a running SparkSession its caller keeps (None: the job's own)."""
    try:
        args = parse_args(argv)
    except UsageError as exc:
        write_stderr(exc.usage)
        write_stderr("ERROR: %s" % " ".join(str(exc).split()))
        return EXIT_USAGE
    spark, owned = session, None
    try:
        if spark is None:
            from pyspark.sql import SparkSession

            spark = owned = SparkSession.builder.appName("Load to Iceberg").getOrCreate()
        summary = load(spark, args)
        sys.stdout.write(SUMMARY_PREFIX + json.dumps(summary) + "\n")
        sys.stdout.flush()
        return 0
    except LoadError as exc:
        write_stderr("ERROR: %s" % " ".join(str(exc).split()))
        return exc.exit_code
    except Exception as exc:
        write_stderr(traceback.format_exc())
        write_stderr("ERROR: load into %s.%s.%s failed: %s"
                     % (args.catalog, args.namespace, args.table, " ".join(one_line(exc).split())))
        return EXIT_FAILURE
    finally:
        if owned is not None:
            try:
                owned.stop()
            except Exception:  # pragma: no cover - best effort
                pass


if __name__ == "__main__":
    sys.exit(main())
