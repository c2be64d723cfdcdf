"""The deploy kit parses and says what it must: non-root, health check, hardening."""

from __future__ import annotations

import configparser
import re
from pathlib import Path

import yaml

from bot.config import _ENV

DEPLOY = Path(__file__).resolve().parents[1] / "deploy"


def _dockerfile() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) with continuation lines joined and comments dropped."""
    text = re.sub(r"\\\n", " ", (DEPLOY / "Dockerfile").read_text())
    lines = [line.strip() for line in text.splitlines()]
    return [
        (line.split(None, 1)[0].upper(), line.split(None, 1)[1])
        for line in lines
        if line and not line.startswith("#")
    ]


def test_the_dockerfile_runs_the_service_as_a_user_with_a_health_check() -> None:
    instructions = _dockerfile()
    assert instructions[0] == ("FROM", "python:3.11-slim")
    users = [args for name, args in instructions if name == "USER"]
    assert users and users[-1] not in ("root", "0", "0:0")
    (health,) = [args for name, args in instructions if name == "HEALTHCHECK"]
    assert "/healthz" in health
    (cmd,) = [args for name, args in instructions if name == "CMD"]
    assert '"waitingroom", "serve"' in cmd
    assert any(name == "VOLUME" and "/data" in args for name, args in instructions)
    user_at = [i for i, (name, _) in enumerate(instructions) if name == "USER"][-1]
    cmd_at = [i for i, (name, _) in enumerate(instructions) if name == "CMD"][-1]
    assert user_at < cmd_at


def test_compose_puts_tls_in_front_and_keeps_the_data() -> None:
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    app, proxy = compose["services"]["waitingroom"], compose["services"]["caddy"]
    assert "/healthz" in " ".join(app["healthcheck"]["test"])
    assert app["user"] != "root" and app["read_only"] is True
    assert any(v.endswith(":/data") for v in app["volumes"])
    assert "ports" not in app  # reached only through the proxy
    assert proxy["image"].startswith("caddy")
    assert "443:443" in proxy["ports"]
    assert proxy["depends_on"]["waitingroom"]["condition"] == "service_healthy"
    caddyfile = (DEPLOY / "Caddyfile").read_text()
    assert "reverse_proxy waitingroom:8080" in caddyfile


def test_the_systemd_unit_is_hardened() -> None:
    unit = configparser.ConfigParser(strict=False, interpolation=None)
    unit.optionxform = str  # type: ignore[assignment,method-assign]
    unit.read(DEPLOY / "waitingroom.service")
    service = unit["Service"]
    assert service["DynamicUser"] == "yes" and service["NoNewPrivileges"] == "yes"
    assert service["ProtectSystem"] == "strict" and service["StateDirectory"] == "waitingroom"
    assert "waitingroom serve" in service["ExecStart"]


def test_the_example_environment_names_every_variable_and_no_secret() -> None:
    lines = (DEPLOY / "waitingroom.env.example").read_text().splitlines()
    settings = dict(line.split("=", 1) for line in lines if line and not line.startswith("#"))
    assert set(_ENV) <= set(settings)
    assert all(value == "" for value in settings.values())


def test_the_runbook_covers_what_an_operator_needs() -> None:
    runbook = (DEPLOY / "RUNBOOK.md").read_text()
    needed_all = ["/sms/inbound", "/sms/status", "waitingroom backup", "waitingroom restore"]
    needed_all += ["supporters add", "retention", "Upgrades", "channel is down", "Logs"]
    for needed in needed_all:
        assert needed in runbook, needed


ROOT = DEPLOY.parent


def _pins(lock: Path) -> dict[str, list[str]]:
    """package -> its hashes, from a pip-compile --generate-hashes file."""
    pins: dict[str, list[str]] = {}
    current = ""
    for line in lock.read_text().splitlines():
        if match := re.match(r"^([A-Za-z0-9._-]+)==\S+ \\$", line):
            current = match.group(1).lower().replace("_", "-")
            pins[current] = []
        elif match := re.match(r"^\s+--hash=sha256:([0-9a-f]{64})", line):
            pins[current].append(match.group(1))
    return pins


def _requirements(names: list[str]) -> set[str]:
    return {re.split(r"[\[<>=!~ ;]", name, maxsplit=1)[0].lower() for name in names}


def test_the_locks_pin_every_dependency_with_hashes() -> None:
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    runtime = _requirements(project["dependencies"])
    dev = _requirements(project["optional-dependencies"]["dev"])
    locked, dev_locked = _pins(ROOT / "requirements.lock"), _pins(ROOT / "requirements-dev.lock")
    assert runtime <= set(locked), runtime - set(locked)
    assert runtime | dev <= set(dev_locked), (runtime | dev) - set(dev_locked)
    assert all(dev_locked.values()) and all(locked.values())  # every pin has its hashes
    assert not dev & set(locked) - runtime  # the image gets no test tools
    for lock in ("requirements.lock", "requirements-dev.lock"):
        text = (ROOT / lock).read_text()
        assert "make lock" in text and "file://" not in text and "--index-url" not in text
    # Both pin the same version of what they share.
    versions = {
        lock: dict(re.findall(r"^([a-z0-9._-]+)==(\S+)", (ROOT / lock).read_text(), re.M))
        for lock in ("requirements.lock", "requirements-dev.lock")
    }
    shared = set(versions["requirements.lock"]) & set(versions["requirements-dev.lock"])
    assert all(
        versions["requirements.lock"][n] == versions["requirements-dev.lock"][n] for n in shared
    )


def test_make_ci_and_the_image_install_from_the_locks() -> None:
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(r"^\$\(STAMP\): \$\(DEV_LOCK\)", makefile, re.M)
    assert "--require-hashes -r $(DEV_LOCK)" in makefile and "--no-deps -e ." in makefile
    assert re.search(r"^lock:", makefile, re.M) and "--generate-hashes" in makefile
    assert "$(VENV)/bin/mypy" in makefile  # strict on bot/, from [tool.mypy]
    assert "make test" in (ROOT / ".ci" / "run").read_text()
    runs = [args for name, args in _dockerfile() if name == "RUN"]
    assert any("--require-hashes -r requirements.lock" in args for args in runs)
    assert any("--no-deps -e ." in args for args in runs)
    assert not any(re.search(r"pip install (?!--require-hashes|--no-deps)", a) for a in runs)
