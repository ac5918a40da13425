"""A Spark job that fails in Spark itself: it reads a Parquet path that does not exist."""
from pyspark.sql import SparkSession

spark = SparkSession.builder.appName("read missing input").getOrCreate()
spark.read.parquet("/nonexistent/s3tables-pipeline/products.parquet").count()
