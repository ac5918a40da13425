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
                       table (copy-on-write, Iceberg's default), each input
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


def new_table(writer, location):
    """A DataFrameWriterV2 that creates an Iceberg table of format-version 2, at location unless None."""
    writer = writer.using("iceberg").tableProperty("format-version", "2")
    return writer if location is None else writer.tableProperty("location", location)


def load(spark, args):
    display_name = "%s.%s.%s" % (args.catalog, args.namespace, args.table)
    namespace = "%s.%s" % (quote(args.catalog), quote(args.namespace))
    table_name = "%s.%s" % (namespace, quote(args.table))

    check_catalog_configured(spark, args.catalog)
    df, input_rows = read_input(spark, args.input)

    # A new namespace (like a new table, created by the write's own commit) exists only if the load commits.
    created_namespace = not namespace_exists(spark, namespace)
    if created_namespace:
        spark.sql("CREATE NAMESPACE IF NOT EXISTS %s" % namespace)
    try:
        return write(spark, args, df, input_rows, display_name, table_name)
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
        location = None if table_exists(spark, table_name) else new_table_location(args, args.table)
        new_table(df.writeTo(table_name).options(**options), location).createOrReplace()
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
    # the later in the file wins: its position in its file, as Spark's Parquet reader gives it
    order = [F.col("_metadata.file_path").desc(), F.col("_metadata.row_index").desc()]
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
    before = snapshot_before(spark, table_name)
    target = spark.table(table_name) if before is None else \
        spark.sql("SELECT * FROM %s VERSION AS OF %d" % (table_name, before))
    source = source.cache()
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
    with_commit_properties(spark, properties, lambda: spark.sql(statement))
    source.unpersist()
    return written, {"rowsBefore": rows_before, "rowsRemoved": rows_removed, "inserted": written - updated,
                     "updated": updated, "deleted": deleted}


def main(argv=None):
    try:
        args = parse_args(argv)
    except UsageError as exc:
        write_stderr(exc.usage)
        write_stderr("ERROR: %s" % " ".join(str(exc).split()))
        return EXIT_USAGE
    spark = None
    try:
        from pyspark.sql import SparkSession

        spark = SparkSession.builder.appName("Load to Iceberg").getOrCreate()
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
        if spark is not None:
            try:
                spark.stop()
            except Exception:  # pragma: no cover - best effort
                pass


if __name__ == "__main__":
    sys.exit(main())
