"""Checks of deploy/ that no schema covers, run by bin/check-ops.

* Alert rules (deploy/prometheus/alerts.yml): the YAML shape Prometheus loads (groups of rules
  with alert, expr, labels.severity, annotations.summary, a valid `for`), every expression
  parsed by promql-parser (a PromQL parser; promtool itself is not installable here), and
  every `qt_*` metric it names served by the platform.
* The Grafana dashboard: valid JSON, unique panel ids, every query parsed and its metrics known.
* Kubernetes (what kubernetes-validate cannot see): each kustomization's resources and
  patches exist; every Celery queue has its worker Deployment; beat is one replica with the
  Recreate strategy; the web probes /api/health/ and /api/ready/; no Secret and no literal
  secret value in the manifests; the ServiceMonitor's ports exist on a Service.

Usage: python deploy/check_deploy.py [ROOT]   (exit 1 and one line per problem on failure)
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import promql_parser
import yaml

DURATION = re.compile(r"^([0-9]+(ms|s|m|h|d|w|y))+$")
METRIC = re.compile(r"\b(qt_[a-z0-9_]+)")
SECRET_NAMES = re.compile(r"(SECRET|TOKEN|PASSWORD|PASSPHRASE|ENCRYPTION_KEYS|DATABASE_URL)")
QUEUES = ("ingest", "ml", "trading", "default")  # quantum_trader/celery.py QUEUES


def known_metrics(root: Path) -> set[str]:
    """Sample names the platform serves, read from the metric definitions' source."""
    names: set[str] = {"qt_metrics_collector_up"}
    sources = [root / "markets" / "metrics.py"]
    sources += [root / app / "metrics.py" for app in ("sentiment", "signals", "trading")]
    for source in sources:
        text = source.read_text()
        for kind, name in re.findall(r"\b(Counter|Histogram|Gauge)\(\s*\"([a-z0-9_]+)\"", text):
            base = f"qt_{name}"
            names |= {
                "Counter": {f"{base}_total"},
                "Histogram": {f"{base}_bucket", f"{base}_count", f"{base}_sum"},
                "Gauge": {base},
            }[kind]
        names |= {f"qt_{n}" for n in re.findall(r"\bgauge\(\s*\"([a-z0-9_]+)\"", text)}
        for kind, name in re.findall(
            r"\b(Counter|Summary)MetricFamily\(\s*\"(qt_[a-z0-9_]+)\"", text
        ):
            names |= {f"{name}_total"} if kind == "Counter" else {f"{name}_count", f"{name}_sum"}
    return names


def _check_expr(where: str, expr: Any, known: set[str]) -> Iterator[str]:
    if not isinstance(expr, str) or not expr.strip():
        yield f"{where}: no expression"
        return
    try:
        promql_parser.parse(expr)
    except ValueError as e:
        yield f"{where}: PromQL does not parse: {e}"
    for name in sorted(set(METRIC.findall(expr)) - known):
        yield f"{where}: unknown metric {name}"


def check_alert_rules(path: Path, known: set[str]) -> Iterator[str]:
    data = yaml.safe_load(path.read_text())
    if not isinstance(data, dict) or not isinstance(data.get("groups"), list) or not data["groups"]:
        yield f"{path}: needs a non-empty `groups` list"
        return
    seen: set[str] = set()
    for group in data["groups"]:
        if not isinstance(group, dict) or not group.get("name") or not group.get("rules"):
            yield f"{path}: every group needs a name and rules"
            continue
        for i, rule in enumerate(group["rules"]):
            where = f"{path}: {group['name']}[{i}] {rule.get('alert', '?')}"
            unknown_keys = set(rule) - {"alert", "expr", "for", "labels", "annotations"}
            if unknown_keys:
                yield f"{where}: unknown keys {sorted(unknown_keys)}"
            if not rule.get("alert"):
                yield f"{where}: no alert name"
            elif rule["alert"] in seen:
                yield f"{where}: duplicate alert name"
            seen.add(str(rule.get("alert")))
            yield from _check_expr(where, rule.get("expr"), known)
            if "for" in rule and not DURATION.match(str(rule["for"])):
                yield f"{where}: `for: {rule['for']}` is not a duration"
            if (rule.get("labels") or {}).get("severity") not in ("warning", "critical"):
                yield f"{where}: labels.severity must be warning or critical"
            if not (rule.get("annotations") or {}).get("summary"):
                yield f"{where}: annotations.summary missing"


def check_dashboard(path: Path, known: set[str]) -> Iterator[str]:
    try:
        data = json.loads(path.read_text())
    except json.JSONDecodeError as e:
        yield f"{path}: not JSON: {e}"
        return
    ids = [panel.get("id") for panel in data.get("panels", [])]
    if not ids:
        yield f"{path}: no panels"
    if len(ids) != len(set(ids)):
        yield f"{path}: panel ids repeat"
    for panel in data.get("panels", []):
        for target in panel.get("targets", []):
            yield from _check_expr(
                f"{path}: panel {panel.get('title')!r}", target.get("expr"), known
            )


def _documents(folder: Path) -> Iterator[tuple[Path, dict[str, Any]]]:
    for path in sorted(folder.rglob("*.yaml")):
        for doc in yaml.safe_load_all(path.read_text()):
            if isinstance(doc, dict):
                yield path, doc


def _containers(doc: dict[str, Any]) -> list[dict[str, Any]]:
    spec = doc.get("spec", {}).get("template", {}).get("spec", {})
    return list(spec.get("containers", []))


def _check_manifest(path: Path, doc: dict[str, Any]) -> Iterator[str]:
    if doc.get("kind") == "Kustomization":
        patches = [p["path"] for p in doc.get("patches", []) if "path" in p]
        for entry in doc.get("resources", []) + patches:
            if not (path.parent / entry).exists():
                yield f"{path}: {entry} does not exist"
    if doc.get("kind") == "Secret":
        yield f"{path}: a Secret in the manifests; create it outside them"
    for container in _containers(doc):
        for env in container.get("env", []):
            if SECRET_NAMES.search(str(env.get("name"))) and "value" in env:
                yield f"{path}: {env['name']} has a literal value; use the Secret"
    if doc.get("kind") == "ConfigMap":
        for key in doc.get("data", {}):
            if SECRET_NAMES.search(key):
                yield f"{path}: {key} belongs in the Secret, not the ConfigMap"


def _check_processes(folder: Path, deployments: dict[str, dict[str, Any]]) -> Iterator[str]:
    for queue in QUEUES:
        worker = deployments.get(f"worker-{queue}")
        args = " ".join(_containers(worker)[0].get("args", [])) if worker else ""
        if f"-Q {queue} " not in args:
            yield f"{folder}: no worker Deployment consuming queue {queue!r}"
        elif worker and not _containers(worker)[0].get("resources", {}).get("requests"):
            yield f"{folder}: worker-{queue} has no resource requests"
    beat = deployments.get("beat")
    if beat is None or beat["spec"].get("replicas") != 1:
        yield f"{folder}: beat must be one Deployment with replicas: 1"
    elif beat["spec"].get("strategy", {}).get("type") != "Recreate":
        yield f"{folder}: beat must use the Recreate strategy (never two at once)"
    web = deployments.get("web")
    probes = json.dumps(_containers(web)[0]) if web else ""
    for path in ("/api/health/", "/api/ready/"):
        if path not in probes:
            yield f"{folder}: the web Deployment does not probe {path}"


def check_kubernetes(folder: Path) -> Iterator[str]:
    docs = list(_documents(folder))
    for path, doc in docs:
        yield from _check_manifest(path, doc)
    base = [d for p, d in docs if p.parent.name == "base"]
    deployments = {d["metadata"]["name"]: d for d in base if d.get("kind") == "Deployment"}
    yield from _check_processes(folder, deployments)
    ports = {
        port.get("name")
        for d in base
        if d.get("kind") == "Service"
        for port in d.get("spec", {}).get("ports", [])
    }
    for d in base:
        for endpoint in (
            d.get("spec", {}).get("endpoints", []) if d.get("kind") == "ServiceMonitor" else []
        ):
            if endpoint.get("port") not in ports:
                yield f"{folder}: ServiceMonitor port {endpoint.get('port')!r} is on no Service"


def main(argv: list[str]) -> int:
    root = Path(argv[0]) if argv else Path(__file__).resolve().parent.parent
    known = known_metrics(root)
    problems = [
        *check_alert_rules(root / "deploy" / "prometheus" / "alerts.yml", known),
        *check_dashboard(root / "deploy" / "grafana" / "quantum-trader.json", known),
        *check_kubernetes(root / "deploy" / "k8s"),
    ]
    for problem in problems:
        print(problem)
    print(f"check_deploy: {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
