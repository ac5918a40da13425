#!/usr/bin/env bash
# Installs what the tests need and runs every test: the Java suite (JUnit, with moto, MiniStack and pyspark from .venv)
# and the PySpark job's pytest suite. Safe to run again: the venv, the Spark jars and Maven's cache are reused.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/setup-python.sh
bash scripts/spark-jars.sh

mvn -B -ntp verify

.venv/bin/python -m pytest -q pyspark/tests
