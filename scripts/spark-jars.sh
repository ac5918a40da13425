#!/usr/bin/env bash
# Puts the Iceberg Spark runtime jar into <repo>/target/spark-jars/ using Maven
# (Maven Central), for local spark-submit runs and the pyspark test suite.
# Spark's own --packages (Ivy) download is deliberately not used.
# Skips the download when the jar is already there.
#
# Usage: bash scripts/spark-jars.sh         (ICEBERG_VERSION=... to override)
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ICEBERG_VERSION="${ICEBERG_VERSION:-1.10.0}"
ARTIFACT_ID="iceberg-spark-runtime-3.5_2.12"
OUT_DIR="${REPO_ROOT}/target/spark-jars"
JAR="${OUT_DIR}/${ARTIFACT_ID}-${ICEBERG_VERSION}.jar"

if [[ -s "${JAR}" ]]; then
  echo "spark-jars: ${JAR} already present"
  exit 0
fi

if ! command -v mvn >/dev/null 2>&1; then
  echo "ERROR: mvn not found on PATH; it is needed to fetch ${ARTIFACT_ID}:${ICEBERG_VERSION}" >&2
  exit 1
fi

mkdir -p "${OUT_DIR}"
# Run outside the project (-N, from a temp dir) so this neither reads the
# project's pom.xml nor touches anything else under target/.
WORK_DIR="$(mktemp -d)"
trap 'rm -rf "${WORK_DIR}"' EXIT
(
  cd "${WORK_DIR}"
  mvn -B -q -N -Dstyle.color=never dependency:copy \
    "-Dartifact=org.apache.iceberg:${ARTIFACT_ID}:${ICEBERG_VERSION}" \
    "-DoutputDirectory=${OUT_DIR}"
)

if [[ ! -s "${JAR}" ]]; then
  echo "ERROR: Maven finished but ${JAR} is missing" >&2
  exit 1
fi
echo "spark-jars: fetched ${JAR}"
