"""The deployment files: docker-compose.yml, the services' Dockerfile and deploy/k8s/base.

Checked offline, with no Docker engine and no cluster: `docker-compose config` (Debian's
docker-compose package) validates the compose file against its schema, and the rest is read
here. The Kubernetes overlays, rendered and validated, are tests/test_k8s_overlays.py's.
"""

import os
import re
import shutil
import subprocess
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml

from mgi_shared import shutdown

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[1]
COMPOSE = ROOT / "docker-compose.yml"
COMPOSE_DEV = ROOT / "docker-compose.dev.yml"
ENV_EXAMPLE = ROOT / ".env.example"
K8S = ROOT / "deploy" / "k8s" / "base"
TOPICS_JOB = ROOT / "deploy" / "k8s" / "overlays" / "dev" / "topics-init-job.yaml"
PORTS = {"intake": 8081, "scoring": 8082, "publishing": 8083, "notifications": 8084}
COMPOSE_ENV = {"MGI_ADMIN_TOKEN": "test-only-token", "MGI_KEY_SIGNING_SECRET": "test-only"}
SECRETS = ("MGI_ADMIN_TOKEN", "MGI_KEY_SIGNING_SECRET")


def _compose() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(COMPOSE.read_text())
    return data


def _k8s_files() -> list[Path]:
    return sorted(p for p in K8S.glob("*.yaml") if p.name != "kustomization.yaml")


def _k8s_docs() -> list[dict[str, Any]]:
    return [doc for path in _k8s_files() for doc in yaml.safe_load_all(path.read_text()) if doc]


def _run_compose(
    env: dict[str, str], files: tuple[Path, ...] = (COMPOSE,)
) -> subprocess.CompletedProcess[str]:
    binary = shutil.which("docker-compose")
    if binary is None:
        pytest.skip(
            "docker-compose binary not found: scripts/bootstrap.sh installs Debian's "
            "docker-compose package (apt-get install -y docker-compose)"
        )
    clean = {k: v for k, v in os.environ.items() if k not in (*SECRETS, "DOCKER_HOST")}
    return subprocess.run(
        [binary, "--project-directory", str(ROOT), *(f"-f{f}" for f in files), "config", "-q"],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


# --- docker-compose.yml ---------------------------------------------------------------


def test_compose_file_is_valid_for_docker_compose() -> None:
    result = _run_compose(COMPOSE_ENV)
    assert result.returncode == 0, result.stderr


def test_compose_dev_override_is_valid_for_docker_compose() -> None:
    result = _run_compose(COMPOSE_ENV, (COMPOSE, COMPOSE_DEV))
    assert result.returncode == 0, result.stderr


def _env_example() -> dict[str, str]:
    lines = ENV_EXAMPLE.read_text().splitlines()
    pairs = (line.split("=", 1) for line in lines if line and not line.startswith("#"))
    return {key: value for key, value in pairs}


def test_env_example_names_every_variable_compose_reads_and_no_secret() -> None:
    read: set[str] = set()
    for path in (COMPOSE, COMPOSE_DEV):
        read |= set(re.findall(r"\$\{([A-Z][A-Z0-9_]*)", path.read_text()))
    # Variables listed without a value are passed through from the operator's environment.
    shared_env = _compose()["x-service-env"]
    read |= {key for key, value in shared_env.items() if value is None}
    example = _env_example()
    assert read <= set(example), f"missing from .env.example: {sorted(read - set(example))}"
    for secret in (*SECRETS, "PORTAL_TOKEN", "SMTP_PASSWORD"):
        assert example[secret] == "", f"{secret} must stay a blank placeholder"
    assert ".env" in (ROOT / ".gitignore").read_text().split()


def test_compose_mongodb_is_a_one_node_replica_set_kept_off_the_host() -> None:
    services = _compose()["services"]
    mongodb = services["mongodb"]
    assert mongodb["command"][:2] == ["--replSet", "rs0"]
    assert "rs.initiate" in mongodb["healthcheck"]["test"][-1]
    assert "isWritablePrimary" in mongodb["healthcheck"]["test"][-1]
    url = _compose()["x-service-env"]["MONGODB_URL"]
    assert "replicaSet=rs0" in url and "w=majority" in url
    # No authentication on the bundled broker and database: the host reaches them in dev only.
    assert "ports" not in mongodb and "ports" not in services["kafka"]
    dev = yaml.safe_load(COMPOSE_DEV.read_text())["services"]
    assert dev["mongodb"]["ports"] and dev["kafka"]["ports"]


def test_compose_dev_override_reloads_each_service_from_its_sources() -> None:
    dev = yaml.safe_load(COMPOSE_DEV.read_text())["services"]
    for name, port in PORTS.items():
        service = dev[name]
        command = service["command"]
        assert command[:3] == ["uvicorn", "--factory", f"mgi_{name}.main:create_app"]
        assert "--reload" in command and str(port) in command
        assert f"./services/{name}/src:/src/services/{name}/src:ro" in service["volumes"]
        assert service["environment"]["PYTHONPATH"].startswith("/src/shared/src:")
    assert _compose()["x-service-env"]["MGI_WEBHOOK_ALLOW_PRIVATE"] == "false"


@pytest.mark.parametrize("secret", SECRETS)
def test_compose_refuses_to_start_without_its_secrets(secret: str) -> None:
    result = _run_compose({k: v for k, v in COMPOSE_ENV.items() if k != secret})
    assert result.returncode != 0
    assert f"set {secret}" in result.stderr


def _published_container_ports(service: dict[str, Any]) -> set[int]:
    ports: set[int] = set()
    for entry in service.get("ports", []):
        if isinstance(entry, dict):
            ports.add(int(entry["target"]))
        else:
            ports.add(int(str(entry).split("/")[0].rsplit(":", 1)[-1]))
    return ports


def test_compose_services_have_healthchecks_ports_and_contract_env() -> None:
    services = _compose()["services"]
    for name, port in PORTS.items():
        service = services[name]
        assert service["build"]["dockerfile"] == "services/Dockerfile"
        assert service["build"]["args"] == {"SERVICE": name, "PORT": str(port)}
        assert port in _published_container_ports(service), name
        assert f":{port}/readyz" in " ".join(service["healthcheck"]["test"]), name
        env = service["environment"]
        assert env["MGI_HTTP_HOST"] == "0.0.0.0"
        assert env[f"{name.upper()}_PORT"] == str(port)
        assert env["KAFKA_BOOTSTRAP_SERVERS"] == "kafka:9092"
        assert env["MONGODB_URL"].startswith("mongodb://mongodb:")
        for secret in SECRETS:
            assert env[secret].startswith(f"${{{secret}:?"), (name, secret)
        assert env["SMTP_HOST"] == "mailpit"
        assert env["OTEL_EXPORTER_OTLP_ENDPOINT"] == "http://jaeger:4318"
        assert env["OTEL_EXPORTER_OTLP_PROTOCOL"] == "http/protobuf"
        assert env["OTEL_SERVICE_NAME"] == f"mgi-{name}"
        deps = service["depends_on"]
        assert deps["topics-init"]["condition"] == "service_completed_successfully"
        assert deps["kafka"]["condition"] == "service_healthy"
        assert deps["mongodb"]["condition"] == "service_healthy"
        assert service["restart"] == "unless-stopped"
    for name, service in services.items():
        if service.get("restart") == "no":  # one-shot jobs
            continue
        if name == "jaeger":  # a distroless image: nothing inside to run a check with
            continue
        assert service.get("healthcheck", {}).get("test"), f"{name} has no healthcheck"


def test_compose_broker_never_auto_creates_topics() -> None:
    kafka = _compose()["services"]["kafka"]
    assert kafka["image"].startswith("apache/kafka:4.")
    assert kafka["environment"]["KAFKA_AUTO_CREATE_TOPICS_ENABLE"] == "false"
    assert kafka["environment"]["KAFKA_PROCESS_ROLES"] == "broker,controller"


def test_compose_and_kubernetes_create_topics_with_the_stacks_own_module() -> None:
    module = ["python", "-m", "mgi_shared.kafka.create_topics"]
    compose = _compose()["services"]["topics-init"]
    assert [*compose["entrypoint"], *compose.get("command", [])] == module
    job = yaml.safe_load(TOPICS_JOB.read_text())
    container = job["spec"]["template"]["spec"]["containers"][0]
    assert [*container["command"], *container.get("args", [])] == module


# --- Dockerfiles --------------------------------------------------------------------------


def _workspace_members() -> list[str]:
    """Every member of the uv workspace, from the root pyproject's globs."""
    root = tomllib.loads((ROOT / "pyproject.toml").read_text())
    globs = root["tool"]["uv"]["workspace"]["members"]
    return sorted(
        path.parent.relative_to(ROOT).as_posix()
        for pattern in globs
        for path in ROOT.glob(f"{pattern}/pyproject.toml")
    )


def test_dockerfile_installs_from_the_lock_and_runs_as_non_root() -> None:
    text = (ROOT / "services" / "Dockerfile").read_text()
    assert re.search(r"^ARG PYTHON_IMAGE=python:3\.11-slim", text, re.M)
    assert 'uv sync --frozen --no-dev --no-editable --package "mgi-${SERVICE}"' in text
    assert "COPY services/${SERVICE}/src services/${SERVICE}/src" in text
    for member in _workspace_members():
        assert f"COPY {member}/pyproject.toml" in text, f"{member} missing from the image"
    # Build arguments are scoped to a stage: the final stage must declare them again.
    final_stage = text.rsplit("\nFROM ", 1)[1]
    assert re.search(r"^ARG SERVICE$", final_stage, re.M) and re.search(
        r"^ARG PORT$", final_stage, re.M
    )
    users = re.findall(r"^USER\s+(\S+)", final_stage, re.M)
    assert users, "no USER"
    assert users[-1].split(":")[0] not in ("root", "0")
    assert re.search(r"^EXPOSE \$\{PORT\}$", final_stage, re.M)
    assert "MGI_HTTP_HOST=0.0.0.0" in final_stage
    assert re.search(r"^HEALTHCHECK .*", final_stage, re.M)
    assert "/healthz" in final_stage
    assert 'CMD exec "mgi-${MGI_SERVICE}"' in final_stage


def test_final_image_is_labelled_and_carries_no_installer() -> None:
    text = (ROOT / "services" / "Dockerfile").read_text()
    build_stage, final_stage = text.rsplit("\nFROM ", 1)
    assert "uv sync --frozen" in build_stage
    for annotation in ("source", "version", "revision", "title"):
        assert f"org.opencontainers.image.{annotation}=" in final_stage, annotation
    # uv stays in the build stage; pip and setuptools are removed from the final one.
    assert not re.findall(r"\b(uv|apt-get|gcc|make)\b", final_stage)
    assert "pip uninstall --yes --quiet pip setuptools wheel" in final_stage
    assert "COPY --from=build /app/.venv /app/.venv" in final_stage


@pytest.mark.parametrize("name", sorted(PORTS))
def test_every_service_has_the_console_script_the_image_runs(name: str) -> None:
    project = tomllib.loads((ROOT / "services" / name / "pyproject.toml").read_text())
    assert f"mgi-{name}" in project["project"]["scripts"]


def test_dockerignore_keeps_local_state_out_of_the_build_context() -> None:
    lines = set((ROOT / ".dockerignore").read_text().split())
    assert {".git", ".venv", ".mgi", "**/__pycache__"} <= lines


# --- deploy/k8s ---------------------------------------------------------------------------


def test_kustomization_lists_every_manifest_and_no_secret_is_committed() -> None:
    kustomization = yaml.safe_load((K8S / "kustomization.yaml").read_text())
    assert sorted(kustomization["resources"]) == sorted(p.name for p in _k8s_files())
    assert not [d for d in _k8s_docs() if d["kind"] == "Secret"]


def test_k8s_config_map_carries_the_contract_variables() -> None:
    configs = {d["metadata"]["name"]: d["data"] for d in _k8s_docs() if d["kind"] == "ConfigMap"}
    data = configs["mgi-config"]
    for key in ("KAFKA_BOOTSTRAP_SERVERS", "MONGODB_URL", "MGI_DATA_DIR"):
        assert data[key]
    assert data["MGI_HTTP_HOST"] == "0.0.0.0"
    assert data["OTEL_EXPORTER_OTLP_PROTOCOL"] == "http/protobuf"
    for name, port in PORTS.items():
        assert data[f"{name.upper()}_PORT"] == str(port)
        assert configs[f"mgi-{name}-config"]["OTEL_SERVICE_NAME"] == f"mgi-{name}"
    assert configs["mgi-notifications-config"]["SMTP_HOST"]
    assert configs["mgi-publishing-config"]["SCORING_URL"] == "http://mgi-scoring:8082"
    for config in configs.values():
        assert not set(SECRETS) & set(config)


def test_grace_periods_outlast_a_services_whole_shutdown() -> None:
    """The web server's drain, then the broker's, then closing: all within the grace period."""
    services = ("intake", "scoring", "publishing", "notifications")
    compose = _compose()["services"]
    for name in services:
        assert int(compose[name]["stop_grace_period"].removesuffix("s")) > shutdown.TOTAL_SECONDS
    deployments = [d for d in _k8s_docs() if d["kind"] == "Deployment"]
    assert {d["metadata"]["name"].removeprefix("mgi-") for d in deployments} == set(services)
    for deployment in deployments:
        grace = deployment["spec"]["template"]["spec"]["terminationGracePeriodSeconds"]
        assert grace > shutdown.TOTAL_SECONDS, deployment["metadata"]["name"]
