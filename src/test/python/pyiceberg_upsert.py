"""A merge on product_id with pyiceberg's upsert, the reference of bench.MergeBenchmark: pyarrow reads the input CSV
with the four column types, pyiceberg upserts it into the table pyiceberg_load.py wrote (a SqlCatalog in the same
warehouse), then a full scan counts the rows. Prints the upsert's own time too, the process started and the table read.

usage: pyiceberg_upsert.py <input.csv> <warehouse dir>"""
import os
import sys
import time

import pyarrow as pa
import pyarrow.csv as pacsv
from pyiceberg.catalog.sql import SqlCatalog

source, warehouse = sys.argv[1], os.path.abspath(sys.argv[2])
types = {"product_id": pa.int32(), "product_name": pa.string(), "product_category": pa.string(), "brand": pa.string()}
rows = pacsv.read_csv(source, convert_options=pacsv.ConvertOptions(column_types=types))

catalog = SqlCatalog("bench", uri=f"sqlite:///{warehouse}/catalog.db", warehouse=f"file://{warehouse}")
table = catalog.load_table("data.products")
started = time.perf_counter()
result = table.upsert(rows, join_cols=["product_id"])
upsert_seconds = time.perf_counter() - started

scanned = table.scan().to_arrow().num_rows
print(f"rows {scanned} updated {result.rows_updated} inserted {result.rows_inserted} upsert {upsert_seconds:.3f} s")
