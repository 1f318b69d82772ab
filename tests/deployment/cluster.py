"""Two gunicorn app nodes and a `shuping worker` each, behind Debian's nginx on loopback ports,
sharing the test's PostgreSQL database and one file directory. Used by test_two_nodes.py.

Ports: nginx on SHUPING_TEST_NGINX_PORT (default 8180), the nodes on the next two ports.
nginx runs unprivileged-style from a temp prefix (pid, logs, temp paths), no root-owned paths.
"""

import http.cookiejar
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

NGINX_CONF = """
worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 512; }}
http {{
  access_log {prefix}/access.log;
  client_body_temp_path {prefix}/body;
  proxy_temp_path {prefix}/proxy;
  fastcgi_temp_path {prefix}/fastcgi;
  uwsgi_temp_path {prefix}/uwsgi;
  scgi_temp_path {prefix}/scgi;
  client_max_body_size 20m;
  upstream shuping {{ {servers} }}
  server {{
    listen 127.0.0.1:{port};
    location / {{
      proxy_pass http://shuping;
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-For $remote_addr;
      # Which node answered: the test checks that both nodes served it.
      add_header X-Shuping-Upstream $upstream_addr always;
    }}
  }}
}}
"""


def available() -> str | None:
    """Why the cluster cannot run here, or None."""
    if not shutil.which("nginx") and not Path("/usr/sbin/nginx").exists():
        return "nginx 未安装（scripts/test 会安装 Debian 的 nginx）"
    return None


@dataclass
class Cluster:
    base: str
    nodes: list[str]
    env: dict
    workdir: Path
    processes: list = field(default_factory=list)
    workers: dict = field(default_factory=dict)  # node index → its running `shuping worker` process

    def node_env(self, index: int) -> dict:
        return {**self.env, "SHUPING_WORKER_ID": f"node-{index + 1}"}

    def start_worker(self, index: int) -> subprocess.Popen:
        """Start node `index`'s background worker, as systemd does (again, after a crash)."""
        log = open(self.workdir / f"worker{index + 1}.log", "a")  # noqa: SIM115 - closed with the process
        worker = subprocess.Popen(
            [sys.executable, "-m", "shuping.cli", "worker", "--interval", "0.2", "--no-startup-delay"],
            cwd=ROOT, env=self.node_env(index), stdout=subprocess.DEVNULL, stderr=log)
        self.processes.append(worker)
        self.workers[index] = worker
        return worker

    def kill_worker(self, index: int) -> None:
        """SIGKILL: the worker dies mid-job with no chance to clean up (power cut, OOM killer)."""
        worker = self.workers.pop(index)
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=10)

    def command(self, index: int, *args: str) -> subprocess.Popen:
        """A `shuping` command run as node `index` would run it (cron)."""
        return subprocess.Popen([sys.executable, "-m", "shuping.cli", *args], cwd=ROOT, env=self.node_env(index),
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def stop(self):
        for process in reversed(self.processes):
            if process.poll() is None:
                process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()


def _wait_for(url: str, process, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url}: process exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, OSError):
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not come up")


def start(database_settings: dict, workdir: Path, *, port: int | None = None) -> Cluster:
    port = port or int(os.environ.get("SHUPING_TEST_NGINX_PORT", "8180"))
    node_ports = [port + 1, port + 2]
    user = database_settings.get("USER") or ""
    password = database_settings.get("PASSWORD") or ""
    credentials = f"{urllib.parse.quote(user)}:{urllib.parse.quote(password)}@" if password else (f"{user}@" if user else "")
    database_url = (f"postgresql://{credentials}{database_settings.get('HOST') or '127.0.0.1'}:"
                    f"{database_settings.get('PORT') or 5432}/{database_settings['NAME']}")
    shared = workdir / "shared-files"
    shared.mkdir(parents=True, exist_ok=True)
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "DJANGO_SETTINGS"))},
        "DJANGO_SETTINGS_MODULE": "shuping.settings",
        "DATABASE_URL": database_url,
        "SHUPING_DATA_DIR": str(workdir / "data"),
        "SHUPING_MEDIA_ROOT": str(shared),
        "SHUPING_SECRET_KEY": uuid.uuid4().hex * 2,
        "SHUPING_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SHUPING_TRUST_X_FORWARDED_FOR": "1",
        "SHUPING_LOG_LEVEL": "ERROR",
    }
    env.pop("SHUPING_DEMO", None)
    cluster = Cluster(base=f"http://127.0.0.1:{port}", nodes=[f"127.0.0.1:{p}" for p in node_ports], env=env,
                      workdir=workdir)
    try:
        for index, node_port in enumerate(node_ports):
            node_env = cluster.node_env(index)
            gunicorn = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "shuping.wsgi:application", "--bind", f"127.0.0.1:{node_port}",
                 "--workers", "2", "--threads", "2", "--timeout", "60"],
                cwd=ROOT, env=node_env, stdout=subprocess.DEVNULL, stderr=open(workdir / f"node{index + 1}.log", "w"))  # noqa: SIM115
            cluster.processes.append(gunicorn)
            cluster.start_worker(index)
        for node, process in zip(cluster.nodes, cluster.processes[::2], strict=True):
            _wait_for(f"http://{node}/healthz", process)
        prefix = workdir / "nginx"
        prefix.mkdir()
        # nginx workers may run as another user when the test runs as root: let them reach the prefix.
        for path in (workdir, prefix):
            path.chmod(0o755)
        servers = " ".join(f"server {node} max_fails=0;" for node in cluster.nodes)
        (prefix / "nginx.conf").write_text(NGINX_CONF.format(prefix=prefix, port=port, servers=servers))
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        proxy = subprocess.Popen([nginx, "-p", str(prefix), "-e", str(prefix / "error.log"), "-c",
                                  str(prefix / "nginx.conf"), "-g", "daemon off;"],
                                 stdout=subprocess.DEVNULL, stderr=open(workdir / "nginx.log", "w"))  # noqa: SIM115
        cluster.processes.append(proxy)
        _wait_for(f"{cluster.base}/healthz", proxy)
    except Exception:
        cluster.stop()
        raise
    return cluster


class Browser:
    """A cookie-keeping HTTP client that talks to the cluster through nginx and notes which node answered."""

    def __init__(self, base: str):
        self.base = base
        self.jar = http.cookiejar.CookieJar()

        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args, **kwargs):
                return None

        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), NoRedirect)

    def request(self, method: str, path: str, data: dict | None = None, files: dict | None = None):
        headers = {}
        body = None
        if files:
            boundary = uuid.uuid4().hex
            parts = []
            for name, value in (data or {}).items():
                parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
            for name, (filename, content, content_type) in files.items():
                parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                             f"Content-Type: {content_type}\r\n\r\n".encode() + content + b"\r\n")
            body = b"".join(parts) + f"--{boundary}--\r\n".encode()
            headers["Content-Type"] = f"multipart/form-data; boundary={boundary}"
        elif data is not None:
            body = urllib.parse.urlencode(data).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        request = urllib.request.Request(self.base + path, data=body, method=method, headers=headers)
        try:
            response = self.opener.open(request, timeout=60)
        except urllib.error.HTTPError as error:  # 3xx/4xx/5xx still carry status, headers and body
            response = error
        with response:
            return Reply(response.status, dict(response.headers), response.read())

    def get(self, path):
        return self.request("GET", path)

    def post(self, path, data=None, files=None):
        data = {"csrfmiddlewaretoken": self.csrf_token(), **(data or {})}
        return self.request("POST", path, data, files)

    def csrf_token(self) -> str:
        for cookie in self.jar:
            if cookie.name == "csrftoken":
                return cookie.value
        return ""

    def login(self, username: str, password: str) -> "Reply":
        self.get("/login/")
        return self.post("/login/", {"username": username, "password": password})


@dataclass
class Reply:
    status: int
    headers: dict
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    @property
    def node(self) -> str:
        return self.headers.get("X-Shuping-Upstream", "")

    @property
    def location(self) -> str:
        return self.headers.get("Location", "")


def form_token(html: str) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    return match.group(1) if match else ""
