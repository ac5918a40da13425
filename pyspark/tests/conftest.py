"""Fixtures for the load_to_iceberg.py tests.

Everything runs locally: Spark `local[2]` from the pyspark pip package, an
Iceberg Hadoop catalog in a temporary warehouse, and the Iceberg Spark runtime
jar that scripts/spark-jars.sh puts into target/spark-jars/ (never Ivy /
--packages). One SparkSession, shared by the whole test session, reads the
tables back. The job runs either as a real spark-submit subprocess (run_job:
what only a process shows, its exit code and which stream a line goes to) or
as a call of its main() in that session (run_job_in_session: the same load,
without a JVM start of about 8 s for each run).

Prepare with:  bash scripts/setup-python.sh && bash scripts/spark-jars.sh
Run with:      .venv/bin/python -m pytest pyspark/tests
"""

import csv
import glob
import importlib.util
import io
import json
import os
import shutil
import subprocess
import sys
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass, field
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
JOB = REPO_ROOT / "pyspark" / "load_to_iceberg.py"
SAMPLE_CSV = REPO_ROOT / "samples" / "products.csv"
JARS_DIR = REPO_ROOT / "target" / "spark-jars"
JAR_GLOB = "iceberg-spark-runtime-3.5_2.12-*.jar"
CATALOG = "s3tablesbucket"
SUMMARY_PREFIX = "LOAD_SUMMARY "
SUBMIT_TIMEOUT_S = 300

COLUMNS = ("product_id", "product_name", "product_category", "brand")


def _iceberg_jar():
    jars = sorted(glob.glob(str(JARS_DIR / JAR_GLOB)))
    if not jars:
        pytest.fail(
            "Iceberg Spark runtime jar not found (%s/%s). Run: bash scripts/spark-jars.sh"
            % (JARS_DIR, JAR_GLOB),
            pytrace=False,
        )
    return jars[-1]


def _java():
    java_home = os.environ.get("JAVA_HOME")
    if java_home:
        java = Path(java_home) / "bin" / "java"
        if not os.access(str(java), os.X_OK):
            pytest.fail("JAVA_HOME=%s has no executable bin/java; Spark 3.5 needs Java 17" % java_home,
                        pytrace=False)
        return str(java)
    java = shutil.which("java")
    if not java:
        pytest.fail("Java not found: no 'java' on PATH and JAVA_HOME unset; Spark 3.5 needs Java 17",
                    pytrace=False)
    return java


@pytest.fixture(scope="session")
def iceberg_jar():
    return _iceberg_jar()


@pytest.fixture(scope="session")
def spark_env():
    """Environment for spark-submit / the pyspark gateway: pip-installed Spark, this venv's python."""
    _java()
    import pyspark

    env = dict(os.environ)
    env["SPARK_HOME"] = os.path.dirname(pyspark.__file__)
    env["PYSPARK_PYTHON"] = sys.executable
    env["PYSPARK_DRIVER_PYTHON"] = sys.executable
    # Spark's driver and block manager listen on loopback only
    env["SPARK_LOCAL_IP"] = "127.0.0.1"
    env.pop("PYSPARK_SUBMIT_ARGS", None)
    return env


@pytest.fixture(scope="session")
def spark_submit():
    path = Path(sys.executable).parent / "spark-submit"
    if not path.exists():
        pytest.fail(
            "%s not found: run the tests with the venv from scripts/setup-python.sh "
            "(.venv/bin/python -m pytest pyspark/tests)" % path,
            pytrace=False,
        )
    return str(path)


@pytest.fixture(scope="session")
def warehouse(tmp_path_factory):
    return str(tmp_path_factory.mktemp("warehouse"))


@pytest.fixture(scope="session")
def log4j_conf(tmp_path_factory):
    """Quiet Spark's INFO logging so stderr holds warnings and the job's own message."""
    path = tmp_path_factory.mktemp("log4j") / "log4j2.properties"
    path.write_text(
        "rootLogger.level = warn\n"
        "rootLogger.appenderRef.stderr.ref = console\n"
        "appender.console.type = Console\n"
        "appender.console.name = console\n"
        "appender.console.target = SYSTEM_ERR\n"
        "appender.console.layout.type = PatternLayout\n"
        "appender.console.layout.pattern = %d{HH:mm:ss} %p %c{1}: %m%n\n"
        # Hadoop's missing native library warning is noise here.
        "logger.nativeio.name = org.apache.hadoop.util.NativeCodeLoader\n"
        "logger.nativeio.level = error\n"
    )
    return str(path)


def driver_java_options(log4j_conf):
    # Short-lived test JVMs: C1-only JIT and serial GC halve the CPU a run costs
    # on a 2-core machine; log4j config keeps stderr to warnings and our messages.
    return "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Dlog4j2.configurationFile=file:%s" % log4j_conf


def spark_confs(warehouse_dir):
    return {
        "spark.sql.catalog.%s" % CATALOG: "org.apache.iceberg.spark.SparkCatalog",
        "spark.sql.catalog.%s.type" % CATALOG: "hadoop",
        "spark.sql.catalog.%s.warehouse" % CATALOG: warehouse_dir,
        "spark.sql.extensions": "org.apache.iceberg.spark.extensions.IcebergSparkSessionExtensions",
        "spark.ui.enabled": "false",
        "spark.sql.shuffle.partitions": "2",
        "spark.default.parallelism": "2",
    }


@dataclass
class JobResult:
    args: list
    returncode: int
    stdout: str
    stderr: str
    summary: dict = field(default=None)

    @property
    def error_lines(self):
        return [l for l in self.stderr.splitlines() if l.startswith("ERROR:")]

    def describe(self):
        tail = "\n".join(self.stderr.splitlines()[-40:])
        return "spark-submit %s\nexit=%s\nstdout:\n%s\nstderr (tail):\n%s" % (
            " ".join(self.args), self.returncode, self.stdout, tail)


@pytest.fixture(scope="session")
def run_job(spark_submit, spark_env, iceberg_jar, warehouse, log4j_conf):
    """Run load_to_iceberg.py through spark-submit; returns a JobResult."""

    def _run(*job_args):
        cmd = [
            spark_submit,
            "--master", "local[2]",
            "--jars", iceberg_jar,
            "--conf", "spark.driver.extraJavaOptions=%s" % driver_java_options(log4j_conf),
        ]
        for key, value in spark_confs(warehouse).items():
            cmd += ["--conf", "%s=%s" % (key, value)]
        cmd += [str(JOB)] + [str(a) for a in job_args]
        proc = subprocess.run(
            cmd, env=spark_env, cwd=str(REPO_ROOT), capture_output=True, text=True,
            timeout=SUBMIT_TIMEOUT_S, stdin=subprocess.DEVNULL,
        )
        return job_result(job_args, proc.returncode, proc.stdout, proc.stderr)

    return _run


def job_result(job_args, returncode, stdout, stderr):
    result = JobResult([str(a) for a in job_args], returncode, stdout, stderr)
    lines = [l for l in stdout.splitlines() if l.startswith(SUMMARY_PREFIX)]
    if lines:
        assert len(lines) == 1, "more than one summary line:\n" + result.describe()
        result.summary = json.loads(lines[0][len(SUMMARY_PREFIX):])
    return result


def load_job_module():
    """pyspark/load_to_iceberg.py as a module: a script spark-submit runs, not in a package."""
    spec = importlib.util.spec_from_file_location("load_to_iceberg", JOB)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def run_job_in_session(spark):
    """Run load_to_iceberg.py's main() in the shared SparkSession, which it leaves running; returns a JobResult."""
    job = load_job_module()
    # the job writes its messages through the driver JVM's System.err when it finds one: here, Python's stderr
    job._jvm = lambda: None

    def _run(*job_args):
        stdout, stderr = io.StringIO(), io.StringIO()
        with redirect_stdout(stdout), redirect_stderr(stderr):
            returncode = job.main([str(a) for a in job_args], session=spark)
        return job_result(job_args, returncode, stdout.getvalue(), stderr.getvalue())

    return _run


@pytest.fixture(scope="session")
def spark(spark_env, iceberg_jar, warehouse, log4j_conf):
    """One SparkSession for reading tables back, shared by the whole test session."""
    os.environ.update({k: spark_env[k] for k in ("SPARK_HOME", "PYSPARK_PYTHON", "PYSPARK_DRIVER_PYTHON")})
    os.environ.pop("PYSPARK_SUBMIT_ARGS", None)
    from pyspark.sql import SparkSession

    builder = (
        SparkSession.builder.master("local[2]")
        .appName("load_to_iceberg-tests")
        .config("spark.jars", iceberg_jar)
        .config("spark.driver.extraJavaOptions", driver_java_options(log4j_conf))
        # The job commits from other JVMs: never serve a cached table version.
        .config("spark.sql.catalog.%s.cache-enabled" % CATALOG, "false")
    )
    for key, value in spark_confs(warehouse).items():
        builder = builder.config(key, value)
    session = builder.getOrCreate()
    yield session
    session.stop()


def read_csv_rows(path):
    with open(path, newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        assert tuple(reader.fieldnames) == COLUMNS, reader.fieldnames
        return [
            (int(r["product_id"]), r["product_name"], r["product_category"], r["brand"])
            for r in reader
        ]


def read_parquet_rows(path):
    import pyarrow.parquet as pq

    table = pq.read_table(path)
    assert tuple(table.column_names) == COLUMNS, table.column_names
    return sorted(zip(*(table.column(c).to_pylist() for c in COLUMNS)))


@pytest.fixture(scope="session")
def products_parquet(tmp_path_factory):
    """The products Parquet input.

    $PRODUCTS_PARQUET when set (the file written by the Java converter),
    otherwise one written here with pyarrow from samples/products.csv using the
    converter's schema: product_id INT32 required, the rest required UTF8.
    """
    env_path = os.environ.get("PRODUCTS_PARQUET")
    if env_path:
        path = Path(env_path).resolve()
        if not path.exists():
            pytest.fail("PRODUCTS_PARQUET=%s does not exist" % env_path, pytrace=False)
        return str(path)

    import pyarrow as pa
    import pyarrow.parquet as pq

    if not SAMPLE_CSV.exists():
        pytest.fail("%s is missing" % SAMPLE_CSV, pytrace=False)
    rows = read_csv_rows(SAMPLE_CSV)
    schema = pa.schema(
        [pa.field("product_id", pa.int32(), nullable=False)]
        + [pa.field(name, pa.string(), nullable=False) for name in COLUMNS[1:]]
    )
    table = pa.Table.from_pylist([dict(zip(COLUMNS, r)) for r in rows], schema=schema)
    path = tmp_path_factory.mktemp("input") / "products.parquet"
    pq.write_table(table, str(path))
    return str(path)


@pytest.fixture(scope="session")
def expected_rows(products_parquet):
    """The input's rows, sorted, as (product_id, product_name, product_category, brand) tuples."""
    return read_parquet_rows(products_parquet)
