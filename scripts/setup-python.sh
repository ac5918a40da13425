#!/usr/bin/env bash
# Creates <repo>/.venv and installs pyspark/requirements.txt into it (pyspark, moto, MiniStack, DuckDB and the
# wheels of the DuckDB extensions MiniStack's Athena loads). DuckDB cannot download extensions here, so the wheels'
# extension files are linked into .venv/ministack-home/.duckdb/extensions/, the folder DuckDB reads when MiniStack
# runs with HOME=.venv/ministack-home (the tests' MiniStack harness does that); ~/.duckdb is left alone.
# Idempotent: pip runs only when requirements.txt changed since the last
# successful install (hash kept in .venv/.requirements.sha256) or the venv is
# incomplete. pip's normal download/wheel cache is used.
#
# Usage: bash scripts/setup-python.sh        (PYTHON=python3.11 to pick an interpreter)
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${REPO_ROOT}/.venv"
REQS="${REPO_ROOT}/pyspark/requirements.txt"
STAMP="${VENV}/.requirements.sha256"
MINISTACK_HOME="${VENV}/ministack-home"
PYTHON="${PYTHON:-python3}"

if [[ ! -f "${REQS}" ]]; then
  echo "ERROR: ${REQS} not found" >&2
  exit 1
fi

if [[ ! -x "${VENV}/bin/python" ]] || ! "${VENV}/bin/python" -c 'import sys' >/dev/null 2>&1; then
  echo "setup-python: creating virtualenv at ${VENV}"
  rm -rf "${VENV}"
  "${PYTHON}" -m venv "${VENV}"
fi

# Keep the venv out of git even where the repo's .gitignore lacks an entry.
if [[ ! -f "${VENV}/.gitignore" ]]; then
  printf '*\n' > "${VENV}/.gitignore"
fi

# The hash covers the requirements file and the interpreter version, so a
# changed pin or a different python triggers a reinstall.
want="$( { sha256sum "${REQS}" | cut -d' ' -f1; "${VENV}/bin/python" -c 'import sys; print(sys.version)'; } | sha256sum | cut -d' ' -f1)"
have="$(cat "${STAMP}" 2>/dev/null || true)"

# Links every extension file the duckdb-ext-* wheels installed into the DuckDB home of MiniStack.
link_duckdb_extensions() {
  local site wheels
  site="$("${VENV}/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"
  wheels="${site}/duckdb_ext/extensions"
  if [[ ! -d "${wheels}" ]]; then
    echo "ERROR: ${wheels} not found: the duckdb-ext-* wheels are not installed" >&2
    exit 1
  fi
  rm -rf "${MINISTACK_HOME}/.duckdb/extensions"
  (cd "${wheels}" && find . -name '*.duckdb_extension') | while read -r file; do
    mkdir -p "$(dirname "${MINISTACK_HOME}/.duckdb/extensions/${file}")"
    ln -s "${wheels}/${file}" "${MINISTACK_HOME}/.duckdb/extensions/${file}"
  done
}

if [[ "${want}" == "${have}" ]] && [[ -x "${VENV}/bin/spark-submit" ]] && [[ -x "${VENV}/bin/pytest" ]] \
   && [[ -d "${MINISTACK_HOME}/.duckdb/extensions" ]]; then
  echo "setup-python: ${VENV} is up to date"
  exit 0
fi

echo "setup-python: installing ${REQS}"
rm -f "${STAMP}"
"${VENV}/bin/python" -m pip install --disable-pip-version-check -q -r "${REQS}"
link_duckdb_extensions
printf '%s\n' "${want}" > "${STAMP}"
echo "setup-python: done ($("${VENV}/bin/python" -c 'import pyspark, duckdb, importlib.metadata as m; print("pyspark", pyspark.__version__, "ministack", m.version("ministack"), "duckdb", duckdb.__version__)'))"
