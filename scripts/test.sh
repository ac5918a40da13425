#!/usr/bin/env bash
# Installs what the tests need and runs every test: the Java suite (JUnit, with moto, MiniStack and pyspark from .venv)
# and the PySpark job's pytest suite. Safe to run again: the venv, the Spark jars and Maven's cache are reused.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/setup-python.sh
bash scripts/spark-jars.sh
# the web UI's tests drive Debian's headless Chromium through its chromedriver (CI runs this as root)
if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
    apt-get update -qq && apt-get install -y -qq chromium chromium-driver
fi

mvn -B -ntp verify

.venv/bin/python -m pytest -q pyspark/tests
