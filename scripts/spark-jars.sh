#!/usr/bin/env bash
# Puts the Iceberg Spark runtime jar, and the iceberg-aws-bundle that Spark needs for a REST catalog writing through
# S3FileIO (the S3 Tables test bed on MiniStack), into <repo>/target/spark-jars/ using Maven (Maven Central), for
# local spark-submit runs and the pyspark test suite. Spark's own --packages (Ivy) download is deliberately not used.
# Skips a download when its jar is already there.
#
# Usage: bash scripts/spark-jars.sh         (ICEBERG_VERSION=... to override)
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ICEBERG_VERSION="${ICEBERG_VERSION:-1.10.0}"
OUT_DIR="${REPO_ROOT}/target/spark-jars"

fetch() {
  local artifact_id="$1"
  local jar="${OUT_DIR}/${artifact_id}-${ICEBERG_VERSION}.jar"
  if [[ -s "${jar}" ]]; then
    echo "spark-jars: ${jar} already present"
    return
  fi
  if ! command -v mvn >/dev/null 2>&1; then
    echo "ERROR: mvn not found on PATH; it is needed to fetch ${artifact_id}:${ICEBERG_VERSION}" >&2
    exit 1
  fi
  mkdir -p "${OUT_DIR}"
  # Run outside the project (-N, from a temp dir) so this neither reads the
  # project's pom.xml nor touches anything else under target/.
  local work_dir
  work_dir="$(mktemp -d)"
  (
    cd "${work_dir}"
    mvn -B -q -N -Dstyle.color=never dependency:copy \
      "-Dartifact=org.apache.iceberg:${artifact_id}:${ICEBERG_VERSION}" \
      "-DoutputDirectory=${OUT_DIR}"
  )
  rm -rf "${work_dir}"
  if [[ ! -s "${jar}" ]]; then
    echo "ERROR: Maven finished but ${jar} is missing" >&2
    exit 1
  fi
  echo "spark-jars: fetched ${jar}"
}

fetch iceberg-spark-runtime-3.5_2.12
fetch iceberg-aws-bundle
