"""Prints every row of an Iceberg table as one `ROW {json}` line on stdout, ordered by the first column, each value
as Spark casts it to a string (exact decimals; timestamps in spark.sql.session.timeZone), nulls as null.

Used by the Java cross-engine test to read, with Spark, a table the embedded engine wrote:
    spark-submit --jars <iceberg runtime> --conf spark.sql.catalog.<c>=... print_table_rows.py <catalog>.<ns>.<table>
"""

import json
import sys

from pyspark.sql import SparkSession


def main(table):
    spark = SparkSession.builder.appName("print_table_rows").getOrCreate()
    try:
        df = spark.table(table)
        text = df.orderBy(df.columns[0]).select([df[c].cast("string").alias(c) for c in df.columns])
        for row in text.collect():
            sys.stdout.write("ROW " + json.dumps(row.asDict(), ensure_ascii=False) + "\n")
        sys.stdout.flush()
    finally:
        spark.stop()


if __name__ == "__main__":
    main(sys.argv[1])
