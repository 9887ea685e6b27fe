"""JupyterHub for a class working on the book's exercises, on one machine.

    sudo /path/to/book/.venv/bin/jupyterhub -f deploy/jupyterhub_config.py

Students log in with their Unix accounts (PAM) and each gets a JupyterLab of their own,
running as them, from the *student environment*: a virtual environment with the student kit
installed (``nnbook-grader student-kit``; install its ``requirements-hub.txt``, which adds
``jupyterhub-singleuser``). nbgrader's Assignments tab there fetches and submits through the
course's exchange, which ``/etc/jupyter/nbgrader_config.py`` names for everyone, e.g.

    c = get_config()
    c.CourseDirectory.course_id = "nnbook"
    c.Exchange.root = "/srv/nbgrader/exchange"   # made with: mkdir -p ...; chmod ugo+rw ...

The instructor releases, collects and grades from the course folder (see the README). The
settings below come from environment variables, so the same file serves a class and the
test that runs it (tests/test_course_on_jupyterhub.py):

    NNBOOK_STUDENT_ENV   the student environment (default /opt/nnbook-student)
    NNBOOK_HUB_STATE     where the hub keeps its database and cookie secret (/srv/nnbook-hub)
    NNBOOK_HUB_IP, NNBOOK_HUB_PORT   where it listens (127.0.0.1, 8000)
    NNBOOK_HUB_USERS     the accounts allowed in, comma-separated (default: every PAM user
                         in the group "students")
    NNBOOK_HUB_TEST_PASSWORD   tests only: a shared password instead of PAM
"""
import os
from pathlib import Path

c = get_config()  # noqa: F821 (provided by traitlets when JupyterHub loads this file)

BOOK = Path(__file__).resolve().parent.parent
STUDENT_ENV = Path(os.environ.get("NNBOOK_STUDENT_ENV", "/opt/nnbook-student"))
STATE = Path(os.environ.get("NNBOOK_HUB_STATE", "/srv/nnbook-hub"))

c.JupyterHub.ip = os.environ.get("NNBOOK_HUB_IP", "127.0.0.1")
c.JupyterHub.port = int(os.environ.get("NNBOOK_HUB_PORT", "8000"))
c.JupyterHub.db_url = f"sqlite:///{STATE / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(STATE / "jupyterhub_cookie_secret")
c.ConfigurableHTTPProxy.command = [str(BOOK / ".venv" / "vendor" / "node_modules" / ".bin" / "configurable-http-proxy")]
c.ConfigurableHTTPProxy.pid_file = str(STATE / "jupyterhub-proxy.pid")

# Each student's own JupyterLab, as their own Unix user, from the student environment.
c.JupyterHub.spawner_class = "jupyterhub.spawner.LocalProcessSpawner"
c.Spawner.cmd = [str(STUDENT_ENV / "bin" / "jupyterhub-singleuser")]
c.Spawner.default_url = "/lab"
c.Spawner.environment = {"OPENBLAS_NUM_THREADS": "1", "PATH": f"{STUDENT_ENV / 'bin'}:/usr/bin:/bin"}
c.Spawner.http_timeout = 120
c.Spawner.start_timeout = 120

users = [name for name in os.environ.get("NNBOOK_HUB_USERS", "").split(",") if name]
if os.environ.get("NNBOOK_HUB_TEST_PASSWORD"):
    c.JupyterHub.authenticator_class = "dummy"
    c.DummyAuthenticator.password = os.environ["NNBOOK_HUB_TEST_PASSWORD"]
else:
    c.JupyterHub.authenticator_class = "pam"
    c.PAMAuthenticator.allowed_groups = {"students"}
if users:
    c.Authenticator.allowed_users = set(users)
