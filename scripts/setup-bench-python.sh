#!/usr/bin/env bash
# Creates <repo>/target/bench-venv with src/test/python/bench-requirements.txt (the newest DuckDB, the reference of
# bench.ConvertBenchmark and bench.WarmServiceBenchmark). A venv of its own: the tests' .venv keeps the DuckDB that
# MiniStack needs. Idempotent: pip runs only when the requirements changed since the last successful install.
#
# Usage: bash scripts/setup-bench-python.sh        (PYTHON=python3.11 to pick an interpreter)
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${REPO_ROOT}/target/bench-venv"
REQS="${REPO_ROOT}/src/test/python/bench-requirements.txt"
STAMP="${VENV}/.requirements.sha256"
PYTHON="${PYTHON:-python3}"

if [[ ! -x "${VENV}/bin/python" ]] || ! "${VENV}/bin/python" -c 'import sys' >/dev/null 2>&1; then
  echo "setup-bench-python: creating virtualenv at ${VENV}"
  rm -rf "${VENV}"
  "${PYTHON}" -m venv "${VENV}"
fi
want="$( { sha256sum "${REQS}" | cut -d' ' -f1; "${VENV}/bin/python" -c 'import sys; print(sys.version)'; } \
  | sha256sum | cut -d' ' -f1)"
if [[ "${want}" == "$(cat "${STAMP}" 2>/dev/null || true)" ]]; then
  echo "setup-bench-python: ${VENV} is up to date"
  exit 0
fi
rm -f "${STAMP}"
"${VENV}/bin/python" -m pip install --disable-pip-version-check -q -r "${REQS}"
printf '%s\n' "${want}" > "${STAMP}"
echo "setup-bench-python: done (duckdb $("${VENV}/bin/python" -c 'import duckdb; print(duckdb.__version__)'))"
