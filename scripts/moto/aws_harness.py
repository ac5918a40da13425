#!/usr/bin/env python3
"""moto in server mode on 127.0.0.1, plus a controller that makes EMR steps and Athena queries end the way a test wants.

moto serves S3, EMR and Athena to real SDK clients, but never moves an EMR step past PENDING/RUNNING, has no
FailureDetails, reports no StateChangeReason for Athena and returns every Athena row in one page. This process runs the
moto server and, in the same interpreter, a small control server that can mutate moto's backends:

  POST /control/emr/mode?mode=complete|fail|manual[&reason=..&message=..&stderr=..&snapshotId=..]
        what happens to every newly submitted step: complete (COMPLETED, stdout.gz with a LOAD_SUMMARY line under the
        cluster's logUri), fail (FAILED with FailureDetails and a stderr.gz), manual (left RUNNING; the default)
  POST /control/emr/mode?mode=spark&warehouse=<dir>[&jars=<iceberg runtime jar>]
        every new command-runner.jar step really runs, on the local Spark of this venv: its spark-submit arguments
        with --packages dropped (no Ivy downloads) and the Iceberg jar added, the S3 Tables catalog replaced by a
        Hadoop catalog in <warehouse>, and the script and --input staged from moto's S3 to local files (a missing
        input object becomes a local path that does not exist, so Spark reports it). Its stdout and stderr land as
        stdout.gz and stderr.gz under the cluster's logUri, and its exit code makes the step COMPLETED or FAILED.
        &failAfterRun=N: the next N steps whose job ended well are FAILED all the same ("Container killed on
        request. Exit code is 137"), as EMR fails a step whose container YARN killed after the job had committed
  POST /control/emr/mode?mode=spark&rest=<Iceberg REST uri>&jars=<runtime jar>,<iceberg-aws-bundle jar>
        the same, but the S3 Tables catalog is replaced by Iceberg's REST catalog at <uri> with the step's own
        warehouse (the table bucket ARN): an S3 Tables emulator's Iceberg REST endpoint, such as MiniStack's
  POST /control/steps/<clusterId>/<stepId>?state=COMPLETED|FAILED|CANCELLED|INTERRUPTED[&reason=..&message=..]
  POST /control/clusters/<clusterId>?state=TERMINATED_WITH_ERRORS[&message=..]
  GET  /control/emr/run-job-flow      every RunJobFlow request as moto parsed it, keyed by cluster id
  POST /control/athena/mode?mode=succeed|fail|hang[&reason=..][&startDelay=s]
                                                               what happens to every new query execution; the
                                                               StartQueryExecution answer comes startDelay s late
  POST /control/faults?action=DescribeStep&count=N[&status=503][&code=..][&after=true]
        the next N EMR calls of that action answer an AWS error instead (status 503 ServiceUnavailable by default;
        code=ThrottlingException with status=400 for throttling); after=true runs the action first and then answers
        the error, as a response lost on the way back does
  GET  /control/faults                what is left of each fault and how many times each was served
  GET  /control/emr/calls             how many times each EMR action was called (DescribeStep...)
  POST /control/emrserverless/mode?mode=complete|fail|manual|spark[&..]
        what happens to every new EMR Serverless job run, as for EMR steps: moto's own ends each SUCCESS at once and
        makes applications STARTED at once; here an application is CREATED until started (StartApplication, or a job
        run's auto-start), a job run is SUBMITTED, then complete (SUCCESS, SPARK_DRIVER/stdout.gz with a LOAD_SUMMARY
        line under the job's S3 monitoring logUri), fail (FAILED with stateDetails and SPARK_DRIVER/stderr.gz), manual
        (RUNNING until told or cancelled), spark (&warehouse=<dir>&jars=<jar>: spark-submit of the job's entry point,
        arguments and sparkSubmitParameters on local Spark as for steps; RUNNING while it runs, killed when the job
        run is cancelled, SUCCESS or FAILED with the driver's logs). StartJobRun answers the job run of an earlier
        call with the same clientToken, as AWS does.
  POST /control/emrserverless/jobruns/<applicationId>/<jobRunId>?state=SUCCESS|FAILED[&message=..&stderr=..]
  GET  /control/emrserverless/calls   how many times each EMR Serverless backend call was made (StartJobRun...)
  POST /control/reset                 controller back to its defaults (moto itself: POST /moto-api/reset)

Athena results are queued with moto's own POST /moto-api/static/athena/query-results; GetQueryResults is made to page
like AWS does (MaxResults, at most 1000 rows a page, NextToken).

On start one JSON line is printed to stdout: {"motoPort": N, "controlPort": M}. The process exits when stdin closes,
so it never outlives the JVM that started it.

Usage: python aws_harness.py        (needs moto[server]; scripts/setup-python.sh installs it into .venv)
"""

import glob
import gzip
import importlib.util
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from pathlib import Path
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

from moto.server import ThreadedMotoServer
from moto.athena import models as athena_models
from moto.athena import responses as athena_responses
from moto.emr import models as emr_models
from moto.emr import responses as emr_responses
from moto.emrserverless import exceptions as emrserverless_exceptions
from moto.emrserverless import models as emrserverless_models
from moto.s3.models import s3_backends

FAILED_STEP_STATES = {"FAILED", "CANCELLED", "INTERRUPTED"}
ATHENA_PAGE_LIMIT = 1000


class Controller:
    """What the next steps and queries do; reset between tests."""

    def __init__(self):
        self.lock = threading.Lock()
        self.reset()

    def reset(self):
        with self.lock:
            self.emr_mode = {"mode": "manual"}
            self.fail_after_run = 0
            self.athena_mode = {"mode": "succeed"}
            self.seen_steps = set()
            self.run_job_flow_requests = {}
            self.faults = {}
            self.emr_calls = {}
            self.serverless_mode = {"mode": "manual"}
            self.seen_job_runs = set()
            self.serverless_calls = {}


CONTROL = Controller()


# --- EMR: injected AWS errors (throttling, 5xx, a response lost after the action ran) --------------------------------

_original_emr_call_action = emr_responses.ElasticMapReduceResponse.call_action


def _faulty_emr_call_action(self):
    action = self._get_action()
    with CONTROL.lock:
        CONTROL.emr_calls[action] = CONTROL.emr_calls.get(action, 0) + 1
        fault = CONTROL.faults.get(action)
        if fault is not None and fault["left"] > 0:
            fault["left"] -= 1
            fault["served"] += 1
        else:
            fault = None
    if fault is None:
        return _original_emr_call_action(self)
    if fault["after"]:
        _original_emr_call_action(self)
    body = json.dumps({"__type": fault["code"], "message": "injected by the test harness: " + fault["code"]})
    return fault["status"], {"Content-Type": "application/x-amz-json-1.1", "x-amzn-ErrorType": fault["code"]}, body


emr_responses.ElasticMapReduceResponse.call_action = _faulty_emr_call_action


# --- EMR: FailureDetails on steps, recorded RunJobFlow requests -----------------------------------------------------

def _step_status(self):
    status = {
        "State": self.state,
        "StateChangeReason": {"Message": getattr(self, "last_state_change_reason", None)},
        "Timeline": {
            "CreationDateTime": self.creation_date_time,
            "EndDateTime": self.end_date_time,
            "StartDateTime": self.start_date_time,
        },
    }
    failure = getattr(self, "failure_details", None)
    if failure:
        status["FailureDetails"] = failure
    return status


emr_models.Step.status = property(_step_status)

_original_run_job_flow = emr_responses.ElasticMapReduceResponse.run_job_flow


def _recording_run_job_flow(self):
    before = set(self.backend.clusters)
    result = _original_run_job_flow(self)
    params = self._get_params()
    for cluster_id in set(self.backend.clusters) - before:
        with CONTROL.lock:
            CONTROL.run_job_flow_requests[cluster_id] = _plain(params)
    return result


emr_responses.ElasticMapReduceResponse.run_job_flow = _recording_run_job_flow


def _plain(value):
    """moto's parsed parameters as plain JSON types."""
    if hasattr(value, "original_dict"):
        value = value.original_dict()
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)


def _all_clusters():
    for account_id, regions in list(emr_models.emr_backends.items()):
        for region, backend in list(regions.items()):
            for cluster in list(backend.clusters.values()):
                yield account_id, cluster


def _find(cluster_id, step_id=None):
    for account_id, cluster in _all_clusters():
        if cluster.id == cluster_id:
            if step_id is None:
                return account_id, cluster, None
            for step in cluster.steps:
                if step.id == step_id:
                    return account_id, cluster, step
    return None, None, None


def _put_log(account_id, cluster, step, name, text):
    """Places <logUri>/<clusterId>/steps/<stepId>/<name> in moto's S3, as EMR's log pusher would."""
    if not cluster.log_uri or not cluster.log_uri.startswith(("s3://", "s3n://")):
        return
    bucket, _, prefix = cluster.log_uri.split("://", 1)[1].partition("/")
    key = "/".join(p for p in (prefix.rstrip("/"), cluster.id, "steps", step.id, name) if p)
    try:
        s3_backends[account_id]["aws"].put_object(bucket, key, gzip.compress(text.encode("utf-8")))
    except Exception as e:  # noqa: BLE001 - a missing log bucket is the test's choice
        print(f"harness: could not write s3://{bucket}/{key}: {e}", file=sys.stderr, flush=True)


def finish_step(account_id, cluster, step, state, reason=None, message=None, stderr=None, snapshot_id=None,
                stdout=None):
    now = emr_models.utcnow()
    step.start_date_time = step.start_date_time or now
    step.end_date_time = now
    if stdout is not None:
        _put_log(account_id, cluster, step, "stdout.gz", stdout)
    if state == "COMPLETED" and stdout is None:
        summary = {"table": "data.products", "snapshotId": int(snapshot_id or 1234567890), "mode": _arg(step, "--mode")}
        _put_log(account_id, cluster, step, "stdout.gz",
                 "starting load_to_iceberg\nLOAD_SUMMARY " + json.dumps(summary) + "\n")
    elif state in FAILED_STEP_STATES:
        log_file = None
        if cluster.log_uri:
            log_file = f"{cluster.log_uri.rstrip('/')}/{cluster.id}/steps/{step.id}/stderr.gz"
        step.failure_details = {
            "Reason": reason or "Unknown Error",
            "Message": message or f"Step {step.id} ended {state}",
            "LogFile": log_file,
        }
        step.last_state_change_reason = message or reason
        _put_log(account_id, cluster, step, "stderr.gz",
                 stderr or "line 1 of stderr\nline 2 of stderr\nload_to_iceberg: error: " + (message or state) + "\n")
    step.state = state
    if not any(s.state in ("PENDING", "RUNNING") for s in cluster.steps) and cluster.state == "RUNNING":
        cluster.state = "WAITING"


def _arg(step, name):
    args = list(step.args or [])
    return args[args.index(name) + 1] if name in args and args.index(name) + 1 < len(args) else None


def watch_steps():
    """Applies the EMR mode to every step seen for the first time."""
    while True:
        time.sleep(0.05)
        try:
            for account_id, cluster in _all_clusters():
                for step in list(cluster.steps):
                    key = (cluster.id, step.id)
                    with CONTROL.lock:
                        if key in CONTROL.seen_steps:
                            continue
                        CONTROL.seen_steps.add(key)
                        mode = dict(CONTROL.emr_mode)
                    delay = float(mode.get("delayMs", 0)) / 1000.0
                    if mode["mode"] == "manual":
                        continue
                    threading.Thread(target=_apply_mode, args=(account_id, cluster, step, mode, delay),
                                     daemon=True).start()
        except RuntimeError:
            pass  # a dict changed size during a request: look again next round


def _apply_mode(account_id, cluster, step, mode, delay):
    time.sleep(delay)
    if mode["mode"] == "complete":
        finish_step(account_id, cluster, step, "COMPLETED", snapshot_id=mode.get("snapshotId"))
    elif mode["mode"] == "fail":
        finish_step(account_id, cluster, step, "FAILED", mode.get("reason"), mode.get("message"), mode.get("stderr"))
    elif mode["mode"] == "spark":
        run_step_with_spark(account_id, cluster, step, mode)


# --- EMR: steps run for real with local Spark (mode=spark) -----------------------------------------------------------

REPO_ROOT = Path(__file__).resolve().parents[2]
SPARK_STEP_TIMEOUT_S = 300
# Short-lived test JVMs: C1-only JIT and serial GC halve the CPU a run costs on a small machine.
DRIVER_JAVA_OPTIONS = "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"
CATALOG_OPTION = re.compile(r"spark\.sql\.catalog\.([^.]+)\.(catalog-impl|warehouse|type)$")


def run_step_with_spark(account_id, cluster, step, mode):
    """Runs the step's spark-submit on local Spark and finishes the step from its exit code, with its logs."""
    now = emr_models.utcnow()
    step.state = "RUNNING"
    step.start_date_time = now
    workdir = tempfile.mkdtemp(prefix="emr-step-%s-" % step.id)
    try:
        command = local_spark_command(account_id, list(step.args or []), mode, workdir)
        print("harness: step %s runs %s" % (step.id, command), file=sys.stderr, flush=True)
        proc = subprocess.run(command, env=_spark_env(), cwd=workdir, capture_output=True, text=True,
                              timeout=SPARK_STEP_TIMEOUT_S, stdin=subprocess.DEVNULL)
        code, stdout, stderr = proc.returncode, proc.stdout, proc.stderr
    except subprocess.TimeoutExpired as e:
        code, stdout, stderr = -1, _text(e.stdout), _text(e.stderr) + "\nkilled after %ss\n" % SPARK_STEP_TIMEOUT_S
    except Exception:  # noqa: BLE001 - a step the harness cannot run fails like a bad step would
        code, stdout, stderr = 1, "", traceback.format_exc()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    with CONTROL.lock:
        killed_after_run = code == 0 and CONTROL.fail_after_run > 0
        if killed_after_run:
            CONTROL.fail_after_run -= 1
    if killed_after_run:
        finish_step(account_id, cluster, step, "FAILED", "Unknown Error",
                    "Container killed on request. Exit code is 137", stdout=stdout,
                    stderr=stderr + "\nContainer killed on request. Exit code is 137\n")
    elif code == 0:
        finish_step(account_id, cluster, step, "COMPLETED", stdout=stdout)
    else:
        # EMR's own FailureDetails for a failed command-runner.jar step say little; the cause is in stderr.gz
        finish_step(account_id, cluster, step, "FAILED", "Unknown Error",
                    "Step failed with exitCode %s" % code, stderr=stderr, stdout=stdout)


def local_spark_command(account_id, args, mode, workdir):
    """The step's spark-submit arguments rewritten for this machine's Spark (see the module docstring)."""
    if not args or args[0] != "spark-submit":
        raise ValueError("not a spark-submit step: %s" % args)
    warehouse = mode.get("warehouse")
    rest = mode.get("rest")
    if not warehouse and not rest:
        raise ValueError("mode=spark needs &warehouse=<dir> or &rest=<uri>")
    command = [str(Path(sys.executable).parent / "spark-submit")]
    catalogs = []
    warehouses = {}
    i = 1
    while i < len(args) and args[i].startswith("--"):
        option, value = args[i], args[i + 1]
        i += 2
        if option == "--packages":
            continue
        if option == "--conf":
            match = CATALOG_OPTION.match(value.partition("=")[0])
            if match:
                if match.group(1) not in catalogs:
                    catalogs.append(match.group(1))
                if match.group(2) == "warehouse":
                    warehouses[match.group(1)] = value.partition("=")[2]
                continue
        command += [option, value]
    if "--master" not in command:
        command += ["--master", "local[1]"]
    command += ["--jars", mode.get("jars") or _iceberg_jar()]
    for catalog in catalogs:
        if rest:
            command += ["--conf", "spark.sql.catalog.%s.type=rest" % catalog,
                        "--conf", "spark.sql.catalog.%s.uri=%s" % (catalog, rest),
                        "--conf", "spark.sql.catalog.%s.warehouse=%s" % (catalog, warehouses.get(catalog, ""))]
        else:
            command += ["--conf", "spark.sql.catalog.%s.type=hadoop" % catalog,
                        "--conf", "spark.sql.catalog.%s.warehouse=%s" % (catalog, warehouse)]
    command += ["--conf", "spark.driver.extraJavaOptions=%s -Dlog4j2.configurationFile=file:%s"
                % (DRIVER_JAVA_OPTIONS, _quiet_log4j(workdir)),
                "--conf", "spark.ui.enabled=false",
                "--conf", "spark.sql.shuffle.partitions=1"]
    script, script_args = args[i], args[i + 1:]
    command.append(_stage(account_id, script, workdir, "script"))
    for j, arg in enumerate(script_args):
        if j > 0 and script_args[j - 1] == "--input":
            arg = _stage(account_id, arg, workdir, "input")
        command.append(arg)
    return command


def _stage(account_id, uri, workdir, what):
    """Copies s3://bucket/key from moto's S3 into workdir; a missing object becomes a path that does not exist."""
    if not uri.startswith(("s3://", "s3a://", "s3n://")):
        return uri
    bucket, _, key = uri.split("://", 1)[1].partition("/")
    target = Path(workdir) / what / Path(key).name
    try:
        obj = s3_backends[account_id]["aws"].get_object(bucket, key)
    except Exception:  # noqa: BLE001 - moto raises MissingBucket / MissingKey
        obj = None
    if obj is None:
        if what == "script":
            raise FileNotFoundError("the step's script %s is not in S3" % uri)
        return str(Path(workdir) / "missing" / key)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(obj.value)
    return str(target)


def _iceberg_jar():
    jars = sorted(glob.glob(str(REPO_ROOT / "target" / "spark-jars" / "iceberg-spark-runtime-3.5_2.12-*.jar")))
    if not jars:
        raise FileNotFoundError("no Iceberg Spark runtime jar: run bash scripts/spark-jars.sh")
    return jars[-1]


def _spark_env():
    spec = importlib.util.find_spec("pyspark")
    if spec is None:
        raise RuntimeError("pyspark is not installed in %s: run scripts/setup-python.sh" % sys.executable)
    env = dict(os.environ)
    env["SPARK_HOME"] = os.path.dirname(spec.origin)
    env["PYSPARK_PYTHON"] = sys.executable
    env["PYSPARK_DRIVER_PYTHON"] = sys.executable
    env["SPARK_LOCAL_IP"] = "127.0.0.1"
    env.pop("PYSPARK_SUBMIT_ARGS", None)
    return env


def _quiet_log4j(workdir):
    """Spark at WARN, so that stderr.gz ends with the job's own ERROR line, as the tail a user reads."""
    path = Path(workdir) / "log4j2.properties"
    path.write_text("rootLogger.level = warn\n"
                    "rootLogger.appenderRef.stderr.ref = console\n"
                    "appender.console.type = Console\n"
                    "appender.console.name = console\n"
                    "appender.console.target = SYSTEM_ERR\n"
                    "appender.console.layout.type = PatternLayout\n"
                    "appender.console.layout.pattern = %d{HH:mm:ss} %p %c{1}: %m%n\n"
                    "logger.nativeio.name = org.apache.hadoop.util.NativeCodeLoader\n"
                    "logger.nativeio.level = error\n")
    return path


def _text(value):
    if value is None:
        return ""
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else value


# --- EMR Serverless: applications that start and stop, job runs that run (moto ends them SUCCESS at once) ---------

ENDED_JOB_RUN_STATES = {"SUCCESS", "FAILED", "CANCELLED"}
_serverless_processes = {}


def _count_serverless(action):
    with CONTROL.lock:
        CONTROL.serverless_calls[action] = CONTROL.serverless_calls.get(action, 0) + 1


def _serverless_backend_wrappers():
    backend = emrserverless_models.EMRServerlessBackend
    original_create = backend.create_application
    original_start_app = backend.start_application
    original_stop_app = backend.stop_application
    original_start_job = backend.start_job_run
    original_cancel = backend.cancel_job_run

    def create_application(self, *args, **kwargs):
        _count_serverless("CreateApplication")
        application = original_create(self, *args, **kwargs)
        application.state = "CREATED"  # moto: STARTED at once; AWS: CREATED until started
        return application

    def start_application(self, application_id):
        _count_serverless("StartApplication")
        return original_start_app(self, application_id)

    def stop_application(self, application_id):
        _count_serverless("StopApplication")
        return original_stop_app(self, application_id)

    def start_job_run(self, application_id, client_token, *args, **kwargs):
        _count_serverless("StartJobRun")
        for earlier in self.job_runs.get(application_id, []):
            if client_token and earlier.client_token == client_token:
                return earlier  # idempotent, as AWS's StartJobRun is for one clientToken
        application = self.get_application(application_id)
        if application.state in ("CREATED", "STOPPED"):
            if not (application.auto_start_configuration or {}).get("enabled", True):
                raise emrserverless_exceptions.ValidationException(
                    "Application %s is %s and auto-start is disabled" % (application_id, application.state))
            application.state = "STARTED"
        job_run = original_start_job(self, application_id, client_token, *args, **kwargs)
        job_run.state = "SUBMITTED"
        job_run.backend_account_id = self.account_id
        with CONTROL.lock:
            # the mode of the moment it was submitted, not of the moment the watcher first sees it
            job_run.harness_mode = dict(CONTROL.serverless_mode)
        return job_run

    def cancel_job_run(self, application_id, job_run_id):
        _count_serverless("CancelJobRun")
        result = original_cancel(self, application_id, job_run_id)
        process = _serverless_processes.pop(job_run_id, None)
        if process is not None:
            process.kill()
        return result

    backend.create_application = create_application
    backend.start_application = start_application
    backend.stop_application = stop_application
    backend.start_job_run = start_job_run
    backend.cancel_job_run = cancel_job_run


_serverless_backend_wrappers()


def _all_job_runs():
    for account_id, regions in list(emrserverless_models.emrserverless_backends.items()):
        for region, backend in list(regions.items()):
            for runs in list(backend.job_runs.values()):
                for job_run in list(runs):
                    yield account_id, backend, job_run


def _put_driver_log(account_id, job_run, name, text):
    """<logUri>/applications/<appId>/jobs/<jobRunId>/SPARK_DRIVER/<name>, as EMR Serverless writes it."""
    log_uri = (((job_run.configuration_overrides or {}).get("monitoringConfiguration") or {})
               .get("s3MonitoringConfiguration") or {}).get("logUri")
    if not log_uri:
        return
    bucket, _, prefix = log_uri.split("://", 1)[1].partition("/")
    key = "/".join(p for p in (prefix.rstrip("/"), "applications", job_run.application_id, "jobs", job_run.id,
                                 "SPARK_DRIVER", name) if p)
    try:
        s3_backends[account_id]["aws"].put_object(bucket, key, gzip.compress(text.encode("utf-8")))
    except Exception as e:  # noqa: BLE001 - a missing log bucket is the test's choice
        print(f"harness: could not write s3://{bucket}/{key}: {e}", file=sys.stderr, flush=True)


def finish_job_run(account_id, job_run, state, message=None, stdout=None, stderr=None, snapshot_id=None):
    if job_run.state in ENDED_JOB_RUN_STATES:
        return  # cancelled meanwhile: it stays CANCELLED
    if stdout is None and state == "SUCCESS":
        args = list((job_run.job_driver or {}).get("sparkSubmit", {}).get("entryPointArguments") or [])
        mode = args[args.index("--mode") + 1] if "--mode" in args else None
        summary = {"table": "data.products", "snapshotId": int(snapshot_id or 1234567890), "mode": mode}
        stdout = "starting load_to_iceberg\nLOAD_SUMMARY " + json.dumps(summary) + "\n"
    if stdout is not None:
        _put_driver_log(account_id, job_run, "stdout.gz", stdout)
    if state == "FAILED":
        job_run.state_details = message or "Job failed, please check complete logs in configured logging destination."
        _put_driver_log(account_id, job_run, "stderr.gz",
                        stderr or "line 1 of stderr\nline 2 of stderr\nload_to_iceberg: error: failed\n")
    elif stderr is not None:
        _put_driver_log(account_id, job_run, "stderr.gz", stderr)
    job_run.state = state
    job_run.updated_at = emrserverless_models.utcnow()


def watch_job_runs():
    """Applies to every job run seen for the first time the EMR Serverless mode it was submitted under."""
    while True:
        time.sleep(0.05)
        try:
            for account_id, backend, job_run in _all_job_runs():
                with CONTROL.lock:
                    if job_run.id in CONTROL.seen_job_runs:
                        continue
                    CONTROL.seen_job_runs.add(job_run.id)
                    mode = getattr(job_run, "harness_mode", None) or dict(CONTROL.serverless_mode)
                threading.Thread(target=_apply_serverless_mode, args=(account_id, job_run, mode), daemon=True).start()
        except RuntimeError:
            pass  # a dict changed size during a request: look again next round


def _apply_serverless_mode(account_id, job_run, mode):
    if job_run.state in ENDED_JOB_RUN_STATES:
        return
    if mode["mode"] == "complete":
        finish_job_run(account_id, job_run, "SUCCESS", snapshot_id=mode.get("snapshotId"))
    elif mode["mode"] == "fail":
        finish_job_run(account_id, job_run, "FAILED", mode.get("message"), stderr=mode.get("stderr"))
    elif mode["mode"] == "spark":
        run_job_with_spark(account_id, job_run, mode)
    else:
        job_run.state = "RUNNING"


def run_job_with_spark(account_id, job_run, mode):
    """The job run's spark-submit on local Spark, rewritten as a step's is; its exit code makes it SUCCESS or FAILED."""
    job_run.state = "RUNNING"
    driver = (job_run.job_driver or {}).get("sparkSubmit") or {}
    args = (["spark-submit"] + shlex.split(driver.get("sparkSubmitParameters") or "")
            + [driver.get("entryPoint")] + list(driver.get("entryPointArguments") or []))
    workdir = tempfile.mkdtemp(prefix="emr-serverless-%s-" % job_run.id)
    try:
        command = local_spark_command(account_id, args, mode, workdir)
        print("harness: job run %s runs %s" % (job_run.id, command), file=sys.stderr, flush=True)
        process = subprocess.Popen(command, env=_spark_env(), cwd=workdir, stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, text=True, stdin=subprocess.DEVNULL)
        _serverless_processes[job_run.id] = process
        if job_run.state == "CANCELLED":
            process.kill()  # cancelled before the process was known
        try:
            stdout, stderr = process.communicate(timeout=SPARK_STEP_TIMEOUT_S)
            code = process.returncode
        except subprocess.TimeoutExpired:
            process.kill()
            stdout, stderr = process.communicate()
            code, stderr = -1, stderr + "\nkilled after %ss\n" % SPARK_STEP_TIMEOUT_S
    except Exception:  # noqa: BLE001 - a job the harness cannot run fails like a bad job would
        code, stdout, stderr = 1, "", traceback.format_exc()
    finally:
        _serverless_processes.pop(job_run.id, None)
        shutil.rmtree(workdir, ignore_errors=True)
    if code == 0:
        finish_job_run(account_id, job_run, "SUCCESS", stdout=stdout, stderr=stderr)
    else:
        finish_job_run(account_id, job_run, "FAILED",
                       "Job failed, please check complete logs in configured logging destination. ExitCode: %s."
                       % code, stdout=stdout, stderr=stderr)


def _find_job_run(application_id, job_run_id):
    for account_id, backend, job_run in _all_job_runs():
        if job_run.application_id == application_id and job_run.id == job_run_id:
            return account_id, job_run
    return None, None


# --- Athena: StateChangeReason, controllable outcome, pages like AWS ---------------------------------------------------

_original_start_query = athena_models.AthenaBackend.start_query_execution


def _controlled_start_query(self, *args, **kwargs):
    execution_id = _original_start_query(self, *args, **kwargs)
    execution = self.executions[execution_id]
    with CONTROL.lock:
        mode = dict(CONTROL.athena_mode)
    if mode["mode"] == "fail":
        execution.status = "FAILED"
        execution.state_change_reason = mode.get("reason") or "query failed"
    elif mode["mode"] == "hang":
        execution._transitions = [("QUEUED", "RUNNING")]  # noqa: SLF001 - never reaches SUCCEEDED
    if mode.get("startDelay"):
        time.sleep(float(mode["startDelay"]))  # the query exists; its id is on its way back
    return execution_id


athena_models.AthenaBackend.start_query_execution = _controlled_start_query

_original_get_query_execution = athena_responses.AthenaResponse.get_query_execution


def _get_query_execution_with_reason(self):
    body = json.loads(_original_get_query_execution(self))
    execution = self.athena_backend.executions.get(self._get_param("QueryExecutionId"))
    reason = getattr(execution, "state_change_reason", None)
    if reason:
        body["QueryExecution"]["Status"]["StateChangeReason"] = reason
    return json.dumps(body)


athena_responses.AthenaResponse.get_query_execution = _get_query_execution_with_reason

_original_get_query_results = athena_responses.AthenaResponse.get_query_results


def _paged_get_query_results(self):
    body = json.loads(_original_get_query_results(self))
    rows = body["ResultSet"]["Rows"]
    limit = min(int(self._get_param("MaxResults") or ATHENA_PAGE_LIMIT), ATHENA_PAGE_LIMIT)
    start = int(self._get_param("NextToken") or 0)
    body["ResultSet"]["Rows"] = rows[start:start + limit]
    if start + limit < len(rows):
        body["NextToken"] = str(start + limit)
    return json.dumps(body)


athena_responses.AthenaResponse.get_query_results = _paged_get_query_results


# --- the control server --------------------------------------------------------------------------------------------

class ControlHandler(BaseHTTPRequestHandler):

    def log_message(self, fmt, *args):
        pass

    def _reply(self, status, payload):
        data = json.dumps(payload).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        url = urlparse(self.path)
        if url.path == "/control/emr/run-job-flow":
            with CONTROL.lock:
                return self._reply(200, CONTROL.run_job_flow_requests)
        if url.path == "/control/faults":
            with CONTROL.lock:
                return self._reply(200, CONTROL.faults)
        if url.path == "/control/emr/calls":
            with CONTROL.lock:
                return self._reply(200, CONTROL.emr_calls)
        if url.path == "/control/emrserverless/calls":
            with CONTROL.lock:
                return self._reply(200, CONTROL.serverless_calls)
        if url.path == "/control/ping":
            return self._reply(200, {"ok": True})
        return self._reply(404, {"error": "unknown path " + url.path})

    def do_POST(self):
        url = urlparse(self.path)
        query = {k: v[-1] for k, v in parse_qs(url.query).items()}
        parts = [p for p in url.path.split("/") if p]
        try:
            if url.path == "/control/reset":
                CONTROL.reset()
                return self._reply(200, {"ok": True})
            if url.path == "/control/emr/mode":
                with CONTROL.lock:
                    CONTROL.emr_mode = query
                    CONTROL.fail_after_run = int(query.get("failAfterRun", "0"))
                return self._reply(200, query)
            if url.path == "/control/faults":
                status = int(query.get("status", "503"))
                fault = {"left": int(query.get("count", "1")), "served": 0, "status": status,
                         "code": query.get("code", "ServiceUnavailable" if status >= 500 else "ThrottlingException"),
                         "after": query.get("after", "false") == "true"}
                with CONTROL.lock:
                    CONTROL.faults[query["action"]] = fault
                return self._reply(200, fault)
            if url.path == "/control/emrserverless/mode":
                with CONTROL.lock:
                    CONTROL.serverless_mode = query
                return self._reply(200, query)
            if len(parts) == 5 and parts[:3] == ["control", "emrserverless", "jobruns"]:
                account_id, job_run = _find_job_run(parts[3], parts[4])
                if job_run is None:
                    return self._reply(404, {"error": f"no job run {parts[4]} on application {parts[3]}"})
                finish_job_run(account_id, job_run, query.get("state", "SUCCESS"), query.get("message"),
                               stderr=query.get("stderr"), snapshot_id=query.get("snapshotId"))
                return self._reply(200, {"state": job_run.state})
            if url.path == "/control/athena/mode":
                with CONTROL.lock:
                    CONTROL.athena_mode = query
                return self._reply(200, query)
            if len(parts) == 4 and parts[:2] == ["control", "steps"]:
                account_id, cluster, step = _find(parts[2], parts[3])
                if step is None:
                    return self._reply(404, {"error": f"no step {parts[3]} on cluster {parts[2]}"})
                finish_step(account_id, cluster, step, query.get("state", "COMPLETED"), query.get("reason"),
                            query.get("message"), query.get("stderr"), query.get("snapshotId"))
                return self._reply(200, {"state": step.state})
            if len(parts) == 3 and parts[:2] == ["control", "clusters"]:
                _, cluster, _ = _find(parts[2])
                if cluster is None:
                    return self._reply(404, {"error": f"no cluster {parts[2]}"})
                cluster.state = query.get("state", "TERMINATED_WITH_ERRORS")
                cluster.last_state_change_reason = query.get("message", "The cluster failed")
                return self._reply(200, {"state": cluster.state})
            return self._reply(404, {"error": "unknown path " + url.path})
        except Exception as e:  # noqa: BLE001 - report to the test instead of dying
            return self._reply(500, {"error": repr(e)})


def main():
    moto = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    moto.start()
    control = ThreadingHTTPServer(("127.0.0.1", 0), ControlHandler)
    threading.Thread(target=control.serve_forever, daemon=True).start()
    threading.Thread(target=watch_steps, daemon=True).start()
    threading.Thread(target=watch_job_runs, daemon=True).start()

    print(json.dumps({"motoPort": moto.get_host_and_port()[1], "controlPort": control.server_address[1]}), flush=True)
    sys.stdin.read()  # until the parent closes our stdin or dies
    os._exit(0)


if __name__ == "__main__":
    main()
