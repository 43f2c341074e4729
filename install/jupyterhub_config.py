"""JupyterHub configuration for teaching the Rust course to a class on one server.

install/classroom.sh PREFIX installs everything this file names and copies it
to PREFIX/etc/jupyterhub/. Start the hub as root (the spawner switches to each
student's Unix account):

    PREFIX/bin/jupyterhub -f PREFIX/etc/jupyterhub/jupyterhub_config.py

Every student gets a JupyterLab of their own, running as their Unix user, with
the kernel "Rust (course)". Settings come from environment variables, each
with a default that suits a small class:

RCOURSE_PREFIX                 where classroom.sh installed (default: the Python
                               environment running the hub, which is PREFIX)
RCOURSE_HUB_BIND_URL           the address students open (default http://:8000,
                               every interface; put HTTPS in front of it)
RCOURSE_HUB_INTERNAL_URL       where the hub listens for the proxy and the
                               students' servers (default http://127.0.0.1:8081)
RCOURSE_HUB_PROXY_API_URL      the proxy's own API (default http://127.0.0.1:8001)
RCOURSE_HUB_STATE_DIR          the hub's database, cookie secret and proxy pid
                               file, made 0700 (default /var/lib/rcourse-hub)
RCOURSE_HUB_AUTHENTICATOR      "pam" (default): students log in with their Unix
                               name and password; "shared-password": one
                               password for the users RCOURSE_HUB_ALLOWED_USERS
                               names (for tests and trial runs)
RCOURSE_HUB_PASSWORD           the shared password (8 characters or more)
RCOURSE_HUB_ALLOWED_GROUPS     with "pam": the Unix groups whose members may log
                               in, comma-separated (default students)
RCOURSE_HUB_ALLOWED_USERS      users who may log in besides, comma-separated
RCOURSE_HUB_ADMINS             the teachers: hub administrators, comma-separated
RCOURSE_HUB_API_TOKEN          if set, a service "rcourse-admin" holding this
                               token may manage users and servers through the
                               REST API and use the students' servers (scripts,
                               tests); leave it unset otherwise
RCOURSE_KERNEL_IDLE_TIMEOUT    seconds after which an idle kernel is shut down
                               (default 1800; 0 keeps kernels)
RCOURSE_SERVER_IDLE_TIMEOUT    seconds after which an idle student's server is
                               stopped by jupyterhub-idle-culler (default 3600;
                               0 keeps servers)
RCOURSE_HUB_MEM_LIMIT          memory per student, e.g. 2G (default unset): the
                               local spawner only passes it on to the server (as
                               MEM_LIMIT, which resource monitors read); it does
                               not enforce it
RCOURSE_HUB_CPU_LIMIT          CPUs per student, e.g. 1 (same caveat)

Limits that are enforced need a spawner that confines each server: systemdspawner
(cgroups through systemd) on one server, KubeSpawner on Kubernetes.
"""

import os
import sys
from pathlib import Path

c = get_config()  # noqa: F821 (defined by JupyterHub when it loads this file)


def env_list(name: str, default: str = "") -> set[str]:
    """The comma-separated names in environment variable `name`."""
    return {item.strip() for item in os.environ.get(name, default).split(",") if item.strip()}


def env_seconds(name: str, default: int) -> int:
    """A number of seconds from environment variable `name`."""
    text = os.environ.get(name, "").strip()
    return int(text) if text else default


PREFIX = Path(os.environ.get("RCOURSE_PREFIX", sys.prefix))
STATE_DIR = Path(os.environ.get("RCOURSE_HUB_STATE_DIR", "/var/lib/rcourse-hub"))
STATE_DIR.mkdir(mode=0o700, parents=True, exist_ok=True)
STATE_DIR.chmod(0o700)

# --- Network --------------------------------------------------------------------------
c.JupyterHub.bind_url = os.environ.get("RCOURSE_HUB_BIND_URL", "http://:8000")
c.JupyterHub.hub_bind_url = os.environ.get("RCOURSE_HUB_INTERNAL_URL", "http://127.0.0.1:8081")
c.ConfigurableHTTPProxy.api_url = os.environ.get("RCOURSE_HUB_PROXY_API_URL", "http://127.0.0.1:8001")
c.ConfigurableHTTPProxy.command = [str(PREFIX / "node" / "node_modules" / ".bin" / "configurable-http-proxy")]
c.ConfigurableHTTPProxy.pid_file = str(STATE_DIR / "proxy.pid")

# --- State ------------------------------------------------------------------------------
c.JupyterHub.db_url = f"sqlite:///{STATE_DIR / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(STATE_DIR / "jupyterhub_cookie_secret")

# --- Who logs in ------------------------------------------------------------------------
authenticator = os.environ.get("RCOURSE_HUB_AUTHENTICATOR", "pam")
allowed_users = env_list("RCOURSE_HUB_ALLOWED_USERS")
if authenticator == "pam":
    c.JupyterHub.authenticator_class = "pam"
    c.PAMAuthenticator.allowed_groups = env_list("RCOURSE_HUB_ALLOWED_GROUPS", "students")
elif authenticator == "shared-password":
    c.JupyterHub.authenticator_class = "shared-password"
    password = os.environ.get("RCOURSE_HUB_PASSWORD", "")
    if len(password) < 8:
        sys.exit("RCOURSE_HUB_PASSWORD must hold a password of 8 characters or more.")
    c.SharedPasswordAuthenticator.user_password = password
    if not allowed_users:
        sys.exit("RCOURSE_HUB_ALLOWED_USERS must name who may log in with the shared password.")
else:
    sys.exit(f"RCOURSE_HUB_AUTHENTICATOR is {authenticator!r}: use 'pam' or 'shared-password'.")
c.Authenticator.allowed_users = allowed_users
c.Authenticator.admin_users = env_list("RCOURSE_HUB_ADMINS")
# A server is started as the Unix user of the same name: never as root.
c.Authenticator.blocked_users = {"root"}

# --- The students' servers ----------------------------------------------------------------
c.JupyterHub.spawner_class = "localprocess"
c.Spawner.cmd = [str(PREFIX / "bin" / "jupyterhub-singleuser")]
c.Spawner.default_url = "/lab"
c.Spawner.notebook_dir = "~"
# The kernelspec sets the kernel's own PATH; this one serves JupyterLab's terminals.
toolchain_bin = PREFIX / "rust" / "bin"
c.Spawner.environment = {
    "PATH": os.pathsep.join(
        [str(PREFIX / "bin")]
        + ([str(toolchain_bin)] if toolchain_bin.is_dir() else [])
        + ["/usr/local/bin", "/usr/bin", "/bin"]
    ),
}
# Several servers starting at once on a small machine take a while.
c.Spawner.start_timeout = 180
c.Spawner.http_timeout = 120
if os.environ.get("RCOURSE_HUB_MEM_LIMIT"):
    c.Spawner.mem_limit = os.environ["RCOURSE_HUB_MEM_LIMIT"]
if os.environ.get("RCOURSE_HUB_CPU_LIMIT"):
    c.Spawner.cpu_limit = float(os.environ["RCOURSE_HUB_CPU_LIMIT"])

# Idle kernels are shut down by each student's server: a kernel holds a
# compiled session (memory, and a process per cell run).
kernel_idle = env_seconds("RCOURSE_KERNEL_IDLE_TIMEOUT", 1800)
if kernel_idle > 0:
    c.Spawner.args = [
        f"--MappingKernelManager.cull_idle_timeout={kernel_idle}",
        f"--MappingKernelManager.cull_interval={max(60, min(300, kernel_idle // 4))}",
        # A kernel that a forgotten browser tab keeps open is culled too; one
        # running a cell is not.
        "--MappingKernelManager.cull_connected=True",
        "--MappingKernelManager.cull_busy=False",
    ]

# --- Services ---------------------------------------------------------------------------
services: list[dict] = []
roles: list[dict] = []

server_idle = env_seconds("RCOURSE_SERVER_IDLE_TIMEOUT", 3600)
if server_idle > 0:
    services.append(
        {
            "name": "idle-culler",
            "command": [sys.executable, "-m", "jupyterhub_idle_culler", f"--timeout={server_idle}"],
        }
    )
    roles.append(
        {
            "name": "idle-culler",
            "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
            "services": ["idle-culler"],
        }
    )

api_token = os.environ.get("RCOURSE_HUB_API_TOKEN", "")
if api_token:
    services.append({"name": "rcourse-admin", "api_token": api_token})
    roles.append(
        {
            "name": "rcourse-admin",
            "scopes": ["admin:users", "admin:servers", "access:servers", "read:hub"],
            "services": ["rcourse-admin"],
        }
    )

c.JupyterHub.services = services
c.JupyterHub.load_roles = roles
