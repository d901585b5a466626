"""The shared server as the README deploys it, for real: a service account owns the store;
agents reach it through Debian's `sudo` with a rule naming the program, or through SSH to the
service account with one key each and a forced command (a real `sshd` on 127.0.0.1).

Run as root (CI is): the test makes throwaway accounts, a sudoers rule and an sshd of its own,
and removes them all afterwards. `make test` installs sudo and openssh-server when missing.
"""

from __future__ import annotations

import json
import os
import pwd
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.sshd import keygen
from tests.sshd import sshd as running_sshd

SERVICE, AGENT, COORDINATOR, STRANGER = "pltsvc", "pltagent", "pltcoord", "pltother"
ROOT = Path(__file__).resolve().parent.parent
SYSTEM_PYTHON = Path(f"/usr/bin/python{sys.version_info.major}.{sys.version_info.minor}")
WAIT = 60

pytestmark = pytest.mark.skipif(
    os.geteuid() != 0 or not shutil.which("sudo") or not Path("/usr/sbin/sshd").exists(),
    reason="needs root, sudo and openssh-server (make test installs them as root)",
)


@dataclass(frozen=True)
class Server:
    folder: Path
    launcher: Path  # the program the sudoers rule and the forced commands name
    store: Path


def run(*command: str, input_text: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command,
        capture_output=True,
        text=True,
        timeout=WAIT,
        input=input_text,
        stdin=None if input_text is not None else subprocess.DEVNULL,
        check=False,
        cwd="/tmp",  # a folder every account may enter
    )


def readable_by_others(path: Path) -> bool:
    return all(p.stat().st_mode & 0o005 == 0o005 for p in [path, *path.parents])


def _runtime(folder: Path) -> tuple[Path, Path]:
    """The program's source and its installed packages where other accounts can read them:
    in place when they can, else copied (a checkout under /root, say)."""
    source, packages = ROOT, Path(next(p for p in sys.path if p.endswith("site-packages")))
    if readable_by_others(source) and readable_by_others(packages):
        return source, packages
    copy = folder / "runtime"
    shutil.copytree(ROOT / "plaintes_tui", copy / "src" / "plaintes_tui")
    shutil.copytree(packages, copy / "site-packages", symlinks=True)
    for path in [copy, *copy.rglob("*")]:
        path.chmod(path.stat().st_mode | (0o005 if path.is_dir() else 0o004))
    return copy / "src", copy / "site-packages"


def _accounts() -> None:
    for name in (SERVICE, AGENT, COORDINATOR, STRANGER):
        run("userdel", "-r", name)
        assert run("useradd", "--create-home", "--shell", "/bin/sh", name).returncode == 0
    run("usermod", "-p", "*", SERVICE)  # no password, not locked: SSH keys may log in


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    folder = Path(tempfile.mkdtemp(prefix="plaintes-deploy-", dir="/tmp"))
    folder.chmod(0o755)
    sudoers = Path("/etc/sudoers.d/plaintes-test")
    try:
        _accounts()
        service = pwd.getpwnam(SERVICE)
        source, packages = _runtime(folder)
        etc = folder / "etc"
        etc.mkdir(mode=0o755)
        srv = folder / "srv"
        srv.mkdir(mode=0o700)
        os.chown(srv, service.pw_uid, service.pw_gid)
        settings = etc / "plaintes.toml"
        settings.write_text(
            f'store = "{srv / "plaintes.db"}"\noutput = "{srv / "output"}"\n'
            f'backups = "{srv / "backups"}"\n'
            f'[agents]\nservice_account = "{SERVICE}"\n'
            f'[agents.directory.{AGENT}]\nname = "Paul Agent"\n'
            f'[agents.directory.{COORDINATOR}]\nname = "Marie Coord"\nrole = "coordinator"\n',
            encoding="utf-8",
        )
        settings.chmod(0o644)
        # What the service installs as /opt/plaintes-tui/.venv/bin/plaintes: root's file. Here
        # it also says where the system settings are (a server's are in /etc/plaintes-tui).
        launcher = etc / "plaintes"
        launcher.write_text(
            f"#!{SYSTEM_PYTHON} -I\n"
            "import sys\n"
            f"sys.path[:0] = [{str(source)!r}, {str(packages)!r}]\n"
            "from pathlib import Path\n"
            "import plaintes_tui.settings\n"
            f"plaintes_tui.settings.SYSTEM_CONFIG_PATH = Path({str(settings)!r})\n"
            "from plaintes_tui.cli import main\n"
            "raise SystemExit(main())\n",
            encoding="utf-8",
        )
        launcher.chmod(0o755)
        sudoers.write_text(
            f"{AGENT},{COORDINATOR} ALL=({SERVICE}) NOPASSWD: {launcher}\n", encoding="utf-8"
        )
        sudoers.chmod(0o440)
        assert run("visudo", "-c", "-f", str(sudoers)).returncode == 0
        store = srv / "plaintes.db"
        made = run("sudo", "-u", SERVICE, str(launcher), "demo", "--cases", "30")
        assert made.returncode == 0, made.stderr
        yield Server(folder, launcher, store)
    finally:
        sudoers.unlink(missing_ok=True)
        for name in (SERVICE, AGENT, COORDINATOR, STRANGER):
            run("userdel", "-r", name)
        shutil.rmtree(folder, ignore_errors=True)


def as_agent(agent: str, *command: str) -> subprocess.CompletedProcess[str]:
    """What an agent types at their own shell prompt."""
    return run("sudo", "-u", agent, "--", *command)


def test_the_store_belongs_to_the_service_account_alone(server: Server) -> None:
    status = server.store.stat()
    assert pwd.getpwuid(status.st_uid).pw_name == SERVICE
    assert status.st_mode & 0o077 == 0
    read = as_agent(AGENT, "cat", str(server.store))
    assert read.returncode != 0  # an agent's account cannot even read it
    direct = as_agent(AGENT, str(server.launcher), "queue")
    assert direct.returncode == 2
    assert f"appartient à « {SERVICE} »" in direct.stderr or "Permission" in direct.stderr


def test_through_sudo_the_agent_is_the_caller_and_chooses_nothing(server: Server) -> None:
    sudo = ("sudo", "-n", "-u", SERVICE, str(server.launcher))
    queue = as_agent(AGENT, *sudo, "--language", "fr", "queue", "--format", "json")
    assert queue.returncode == 0, queue.stderr
    assert [case["reference"] for case in json.loads(queue.stdout)]
    export = as_agent(AGENT, *sudo, "person", "export", "#1", "--reason", "x")
    assert export.returncode == 2
    assert f"« {AGENT} » (agent) ne peut pas lancer « person »" in export.stderr
    forged = run(
        "sudo", "-u", AGENT, "env", f"LOGNAME={COORDINATOR}", f"USER={COORDINATOR}", *sudo,
        "person", "export", "#1", "--reason", "x",
    )  # fmt: skip
    assert f"« {AGENT} » (agent)" in forged.stderr
    for option in ("--config=/tmp/x.toml", f"--db={server.store}", f"--login={COORDINATOR}"):
        refused = as_agent(AGENT, *sudo, option, "queue")
        assert refused.returncode == 2 and "refusé par sudo" in refused.stderr
    accesses = as_agent(COORDINATOR, *sudo, "person", "accesses", "#1")
    assert accesses.returncode == 0, accesses.stderr
    shell = as_agent(AGENT, "sudo", "-n", "-u", SERVICE, "/bin/sh", "-c", "id")
    assert shell.returncode != 0  # the rule names the program, nothing else
    stranger = as_agent(STRANGER, *sudo, "queue")
    assert stranger.returncode != 0 and "ne peut pas" not in stranger.stdout


def test_through_sudo_the_app_opens_as_the_agent(server: Server) -> None:
    session = f"plaintes-deploy-{os.getpid()}"
    command = f"sudo -u {AGENT} -- sudo -n -u {SERVICE} {server.launcher}"
    started = run("tmux", "new-session", "-d", "-s", session, "-x", "120", "-y", "30", command)
    assert started.returncode == 0, started.stderr
    try:
        deadline = time.monotonic() + WAIT
        screen = ""
        # until both are drawn: the queue's rows may come a frame before the header
        while time.monotonic() < deadline and not ("P-20" in screen and AGENT in screen):
            screen = run("tmux", "capture-pane", "-p", "-t", session).stdout
            time.sleep(0.2)
        assert "P-20" in screen, screen  # the queue of the service's store
        assert AGENT in screen, screen  # the header names the agent who called sudo
    finally:
        run("tmux", "kill-session", "-t", session)


@pytest.fixture(scope="module")
def sshd(server: Server) -> Iterator[tuple[int, Path]]:
    """A real sshd on 127.0.0.1 that lets the service account in by key, with one forced
    command per agent's key; yields its port and the agent's private key."""
    folder = server.folder / "ssh"
    folder.mkdir(mode=0o755)
    keys = folder / "keys"
    keys.mkdir(mode=0o700)
    keygen(keys / "agent")
    authorized = folder / "authorized_keys"
    public = (keys / "agent.pub").read_text(encoding="utf-8").strip()
    authorized.write_text(
        f'command="{server.launcher} --login {AGENT}",restrict {public}\n', encoding="utf-8"
    )
    authorized.chmod(0o644)
    with running_sshd(folder, authorized, SERVICE) as port:
        yield port, keys / "agent"


def ssh(port: int, key: Path, *words: str) -> subprocess.CompletedProcess[str]:
    return run(
        "ssh", "-i", str(key), "-p", str(port), "-o", "BatchMode=yes",
        "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
        "-o", "LogLevel=ERROR", "--", f"{SERVICE}@127.0.0.1", *words,
    )  # fmt: skip


def test_through_ssh_the_key_names_the_agent_and_no_shell_is_had(
    server: Server, sshd: tuple[int, Path]
) -> None:
    port, key = sshd
    queue = ssh(port, key, "queue", "--format", "json")
    assert queue.returncode == 0, queue.stderr
    assert [case["reference"] for case in json.loads(queue.stdout)]
    refused = ssh(port, key, "person", "export", "#1", "--reason", "x")
    assert f"« {AGENT} » (agent) ne peut pas lancer « person »" in refused.stderr
    for words in (("bash",), ("sh", "-c", "id"), ("--login", COORDINATOR, "queue")):
        shell = ssh(port, key, *words)
        assert shell.returncode == 2, (words, shell.stdout)
        assert "uid=" not in shell.stdout
