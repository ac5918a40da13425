"""DuckDB's COPY of the products CSV to Parquet: the convert benchmarks' reference (bench.ConvertBenchmark).

    duckdb_copy.py warm      reads "<csv>\t<parquet>" lines from stdin; for each, one COPY in the same connection,
                             answered by "copy <seconds> <cpu seconds>" (CPU of the whole process, every thread)
    duckdb_copy.py cold <csv> <parquet>
                             one COPY in this fresh process, timed from before DuckDB is imported:
                             "first conversion <seconds> <cpu seconds>"

Both print "duckdb <version>" first. Run from the benchmarks' own venv (scripts/setup-bench-python.sh), which holds
the newest DuckDB; the tests' .venv keeps the DuckDB that MiniStack's Athena needs.
"""
import sys
import time

COLUMNS = "{'product_id': 'INTEGER', 'product_name': 'VARCHAR', 'product_category': 'VARCHAR', 'brand': 'VARCHAR'}"


def copy(connection, csv, parquet):
    connection.execute(
        f"COPY (SELECT * FROM read_csv('{csv}', header=true, columns={COLUMNS})) "
        f"TO '{parquet}' (FORMAT parquet, COMPRESSION snappy)")


def connect(duckdb):
    connection = duckdb.connect()
    connection.execute("SET threads=2")
    return connection


def warm():
    import duckdb
    print(f"duckdb {duckdb.__version__}", flush=True)
    connection = connect(duckdb)
    for line in sys.stdin:
        csv, parquet = line.rstrip("\n").split("\t")
        started, cpu = time.perf_counter(), time.process_time()
        copy(connection, csv, parquet)
        print(f"copy {time.perf_counter() - started:.4f} {time.process_time() - cpu:.4f}", flush=True)


def cold(csv, parquet):
    started, cpu = time.perf_counter(), time.process_time()
    import duckdb
    copy(connect(duckdb), csv, parquet)
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu
    print(f"duckdb {duckdb.__version__}")
    print(f"first conversion {seconds:.4f} {cpu_seconds:.4f}", flush=True)


if __name__ == "__main__":
    if sys.argv[1:] == ["warm"]:
        warm()
    elif len(sys.argv) == 4 and sys.argv[1] == "cold":
        cold(sys.argv[2], sys.argv[3])
    else:
        sys.exit(__doc__)
