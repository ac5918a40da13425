#!/usr/bin/env bash
# Makes target/s3tables-pipeline.jsa, the AppCDS archive bin/s3tables-pipeline starts with: one training one-shot on
# samples/products.csv in a fresh target/cds-training data dir, with the launcher's JVM options, and every class it
# loaded archived at exit. Run by `mvn package` (skip with -Dcds.skip); the output goes to target/cds-training.log.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

target="$(pwd)/target"
java="${JAVA_HOME:+${JAVA_HOME}/bin/}java"
rm -rf "${target}/cds-training" "${target}/s3tables-pipeline.jsa" "${target}/s3tables-pipeline.jsa.tmp"
if ! "${java}" @bin/jvm.options -XX:ArchiveClassesAtExit="${target}/s3tables-pipeline.jsa.tmp" \
    -Dpipeline.once=samples/products.csv -Dpipeline.data.dir="${target}/cds-training" \
    -jar "${target}/s3tables-pipeline.jar" > "${target}/cds-training.log" 2>&1; then
  tail -n 40 "${target}/cds-training.log" >&2
  echo "cds-archive: the training run failed (whole log: ${target}/cds-training.log)" >&2
  exit 1
fi
mv "${target}/s3tables-pipeline.jsa.tmp" "${target}/s3tables-pipeline.jsa"
echo "cds-archive: ${target}/s3tables-pipeline.jsa ($(du -m "${target}/s3tables-pipeline.jsa" | cut -f1) MB)"
