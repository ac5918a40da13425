#!/usr/bin/env bash
# Makes target/s3tables-pipeline.jsa, the AppCDS archive bin/s3tables-pipeline starts with: one training one-shot on
# samples/products.csv in a fresh target/cds-training data dir, run by the launcher itself (so with a one-shot's JVM
# options), and every class it loaded archived at exit. Run by `mvn package` (skip with -Dcds.skip); the output goes
# to target/cds-training.log. The long-running service starts with the same archive: a dynamic archive does not
# depend on the compilers, and the classes only the service loads (its management server, the inbox and HTTP
# triggers) come from the jars as without one.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

target="$(pwd)/target"
rm -rf "${target}/cds-training" "${target}/s3tables-pipeline.jsa" "${target}/s3tables-pipeline.jsa.tmp"
if ! bin/s3tables-pipeline -XX:ArchiveClassesAtExit="${target}/s3tables-pipeline.jsa.tmp" \
    -Dpipeline.once=samples/products.csv -Dpipeline.data.dir="${target}/cds-training" \
    > "${target}/cds-training.log" 2>&1; then
  tail -n 40 "${target}/cds-training.log" >&2
  echo "cds-archive: the training run failed (whole log: ${target}/cds-training.log)" >&2
  exit 1
fi
mv "${target}/s3tables-pipeline.jsa.tmp" "${target}/s3tables-pipeline.jsa"
echo "cds-archive: ${target}/s3tables-pipeline.jsa ($(du -m "${target}/s3tables-pipeline.jsa" | cut -f1) MB)"
