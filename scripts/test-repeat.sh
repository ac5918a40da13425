#!/usr/bin/env bash
# Runs the Java suite N times in a row, as scripts/test.sh does (the same installs, then mvn verify: JUnit through
# surefire, the *IT classes through failsafe), to find tests that fail only now and then. Every round runs to its end
# (a failing test does not stop the build), its reports and Maven log are kept in target/test-repeat/round-K/, and at
# the end each test class that failed in any round is printed with the rounds it failed in. Exits 1 if any did.
#
# Usage: bash scripts/test-repeat.sh N [Maven arguments...]
#   bash scripts/test-repeat.sh 3                                 the whole Java suite, three times
#   bash scripts/test-repeat.sh 5 -Dtest='InboxWaitsForTheDoneMarkerTest,HttpServerErrorIsRetriedThenReportedTest'
# With -Dtest=... only those classes run (through surefire), and the *IT classes are left out unless -Dit.test=...
# names some of them.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

if [[ $# -lt 1 || ! "$1" =~ ^[1-9][0-9]*$ ]]; then
  echo "usage: bash scripts/test-repeat.sh N [Maven arguments...]   (N: how many rounds, 1 or more)" >&2
  exit 2
fi
ROUNDS="$1"
shift
MAVEN_ARGS=("$@")
given() {
  printf '%s\n' "${MAVEN_ARGS[@]}" | grep -q "^$1"
}
if given -Dtest= && ! given -Dit.test=; then
  MAVEN_ARGS+=(-DskipITs)
fi

bash scripts/setup-python.sh
bash scripts/spark-jars.sh

OUT=target/test-repeat
rm -rf "${OUT}"
mkdir -p "${OUT}"

# The tests of one round's reports (surefire and failsafe XML), as "<round> <class> <tests> <failed>" lines; a class
# run once per parameter ("X[1]", "X[2]") counts as X.
tally() {
  python3 - "$@" <<'PYTHON'
import glob, re, sys
import xml.etree.ElementTree as ET

for round_dir in sys.argv[1:]:
    k = round_dir.rsplit("-", 1)[1]
    classes = {}
    for report in sorted(glob.glob(round_dir + "/*-reports/TEST-*.xml")):
        try:
            suite = ET.parse(report).getroot()
        except ET.ParseError:
            name = "(unreadable " + report.rsplit("/", 1)[1] + ")"
            classes[name] = [0, 1]
            continue
        for case in suite.iter("testcase"):
            name = re.sub(r"\[\d+\]$", "", case.get("classname") or suite.get("name"))
            counts = classes.setdefault(name, [0, 0])
            counts[0] += 1
            if case.find("failure") is not None or case.find("error") is not None:
                counts[1] += 1
    for name, (tests, failed) in sorted(classes.items()):
        print(k, name, tests, failed)
PYTHON
}

for ((k = 1; k <= ROUNDS; k++)); do
  round="${OUT}/round-${k}"
  mkdir -p "${round}"
  # nothing of the round before may count in this one; test-data holds the runs' folders, reports alone are kept
  rm -rf target/surefire-reports target/failsafe-reports target/test-data
  start=$(date +%s)
  set +e
  mvn -B -ntp verify -Dmaven.test.failure.ignore=true "${MAVEN_ARGS[@]}" > "${round}/maven.log" 2>&1
  code=$?
  set -e
  seconds=$(($(date +%s) - start))
  for reports in target/surefire-reports target/failsafe-reports; do
    if [[ -d "${reports}" ]]; then
      cp -r "${reports}" "${round}/"
    fi
  done
  echo "${code}" > "${round}/maven-exit-code"
  tally "${round}" > "${round}/tally.txt"
  read -r tests failed < <(awk '{ t += $3; f += $4 } END { print t + 0, f + 0 }' "${round}/tally.txt")
  echo "test-repeat: round ${k} of ${ROUNDS}: ${tests} tests, ${failed} failed, Maven exit code ${code}," \
       "$((seconds / 60))m$((seconds % 60))s (log: ${round}/maven.log)"
done

echo
status=0
for ((k = 1; k <= ROUNDS; k++)); do
  code=$(cat "${OUT}/round-${k}/maven-exit-code")
  if [[ "${code}" != 0 ]]; then
    echo "test-repeat: round ${k}: Maven failed (exit code ${code}), see ${OUT}/round-${k}/maven.log"
    status=1
  fi
done
failing=$(for ((k = 1; k <= ROUNDS; k++)); do cat "${OUT}/round-${k}/tally.txt"; done \
          | awk '$4 > 0 { rounds[$2] = rounds[$2] (rounds[$2] ? ", " : "") $1 }
                 END { for (c in rounds) print c ": round(s) " rounds[c] }' | sort)
if [[ -n "${failing}" ]]; then
  echo "test-repeat: classes that failed in some of ${ROUNDS} round(s):"
  echo "${failing}" | sed 's/^/  /'
  status=1
else
  echo "test-repeat: no test class failed in ${ROUNDS} round(s)"
fi
exit "${status}"
