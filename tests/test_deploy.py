"""The deploy kit parses and says what it must: non-root, health check, hardening."""

from __future__ import annotations

import configparser
import contextlib
import io
import re
import shlex
import subprocess
from pathlib import Path

import yaml

from bot.cli import NEEDS_DATABASE, _add_create, _parser, _subcommands
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


# Compose's variable syntax: $$ is a literal $, ${VAR}, ${VAR:-default}, ${VAR:?error}.
_VARIABLE = re.compile(r"\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}")


def _interpolate(text: str, env: dict[str, str]) -> str:
    """Compose's interpolation, as far as this file uses it; an error where compose would
    refuse to run any command at all."""

    def one(match: re.Match[str]) -> str:
        if match.group(0) == "$$":
            return "$"
        name, how, rest = match.groups()
        value = env.get(name, "")
        if how in (":?", "?") and not value:
            raise ValueError(f"compose would refuse every command: {name} {rest}")
        return value or (rest if how in (":-", "-") else "")

    return _VARIABLE.sub(one, text)


def test_compose_needs_nothing_exported_for_exec_logs_backups_and_upgrades() -> None:
    raw = (DEPLOY / "compose.yaml").read_text()
    # With an empty environment and no deploy/.env, compose still renders the file.
    rendered = yaml.safe_load(_interpolate(raw, {}))
    assert rendered["services"]["caddy"]["environment"]["WAITINGROOM_DOMAIN"] == ""
    with_domain = yaml.safe_load(_interpolate(raw, {"WAITINGROOM_DOMAIN": "chat.example.org"}))
    assert with_domain["services"]["caddy"]["environment"]["WAITINGROOM_DOMAIN"] == (
        "chat.example.org"
    )
    # The domain's example file is what deploy/.env starts from.
    example = (DEPLOY / "domain.env.example").read_text()
    assert "WAITINGROOM_DOMAIN=" in example and "deploy/.env" in example


def test_caddy_refuses_to_start_without_a_domain_and_starts_with_one(tmp_path: Path) -> None:
    rendered = yaml.safe_load(_interpolate((DEPLOY / "compose.yaml").read_text(), {}))
    shell, flag, script = rendered["services"]["caddy"]["entrypoint"]
    assert shell == "/bin/sh" and flag == "-c"
    # A stand-in caddy that says how it was started.
    fake = tmp_path / "caddy"
    fake.write_text('#!/bin/sh\necho "caddy $*"\n')
    fake.chmod(0o755)
    env = {"PATH": f"{tmp_path}:/usr/bin:/bin"}
    missing = subprocess.run(
        ["/bin/sh", "-c", script], env=env, capture_output=True, text=True, check=False
    )
    assert missing.returncode == 2 and "set WAITINGROOM_DOMAIN in deploy/.env" in missing.stderr
    started = subprocess.run(
        ["/bin/sh", "-c", script],
        env={**env, "WAITINGROOM_DOMAIN": "chat.example.org"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert started.returncode == 0, started.stderr
    assert started.stdout.strip() == ("caddy run --config /etc/caddy/Caddyfile --adapter caddyfile")


def _parses(command: str) -> None:
    """A ``waitingroom ...`` command line is one the CLI accepts (parsed, not run)."""
    # A usage line's optional parts ("[--port P]") are left out; the rest must parse.
    command = re.sub(r"\[[^\]]*\]", "", command.replace("$(date +%F)", "2026-12-01"))
    words = shlex.split(command)
    at = [i for i, word in enumerate(words) if word.rsplit("/", 1)[-1] == "waitingroom"]
    words = words[at[0] + 1 :] if at else words
    words = words[: words.index("&&")] if "&&" in words else words
    words = [w for w in words if w not in ("...", "COMMAND")]
    if not words:
        return
    parser = _parser()
    for name, sub in _subcommands(parser).items():
        if name in NEEDS_DATABASE:
            _add_create(sub)
    said = io.StringIO()
    try:
        with contextlib.redirect_stderr(said), contextlib.redirect_stdout(io.StringIO()):
            parser.parse_args(words)
    except SystemExit as error:
        # --help, or a table naming a command without its arguments: it exists.
        if error.code == 0 or "arguments are required" in said.getvalue():
            return
        raise AssertionError(f"the CLI refuses: waitingroom {' '.join(words)}") from error


def test_the_systemd_unit_runs_commands_the_cli_has() -> None:
    unit = configparser.ConfigParser(strict=False, interpolation=None)
    unit.optionxform = str  # type: ignore[assignment,method-assign]
    unit.read(DEPLOY / "waitingroom.service")
    for key in ("ExecStart", "ExecStartPre", "ExecReload", "ExecStop"):
        if key in unit["Service"]:
            line = unit["Service"][key]
            program, *_ = shlex.split(line)
            assert program == "/opt/waitingroom/.venv/bin/waitingroom"
            _parses(line)


def test_every_waitingroom_command_in_the_runbook_and_readme_is_one_the_cli_has() -> None:
    readme = (DEPLOY.parent / "README.md").read_text()
    runbook = (DEPLOY / "RUNBOOK.md").read_text()
    commands = re.findall(r"`((?:[^`\n]*?/)?waitingroom [a-z][^`\n]*)`", runbook + readme)
    commands = [c for c in commands if "docker" not in c.split("waitingroom")[0]]
    assert len(commands) > 8
    for command in commands:
        if "|" in command or command.strip().endswith("COMMAND"):
            continue
        _parses(command.split(" / ")[0])
