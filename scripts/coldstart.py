#!/usr/bin/env python3
"""Starts an unpacked function package exactly as SCF would (its scf_bootstrap) and drives it.

  coldstart.py first  PKG_DIR SIM_URL ENV_FILE   -> one JSON line: ms to the first answered login, the CPU ms
                                                    the process used until then, VmRSS right after
  coldstart.py train  PKG_DIR SIM_URL ENV_FILE   -> runs the whole payment flow on every route, then stops the
                                                    process cleanly (an AOT cache / AppCDS archive is written at exit)

The first request is a real login: the function calls jscode2session on the simulator and signs a session.
Every child is started in its own process group and killed with it, whatever happens.
"""
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

STARTUP_LIMIT_S = 60
REQUEST_TIMEOUT_S = 20


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def read_env(path):
    env = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if line and not line.startswith("#") and "=" in line:
                key, value = line.split("=", 1)
                env[key] = value
    return env


def post(url, body, headers=None, timeout=REQUEST_TIMEOUT_S):
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method="POST",
                                     headers={"Content-Type": "application/json", **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:
            return answer.status, answer.read()
    except urllib.error.HTTPError as refused:
        return refused.code, refused.read()


def login_code(sim_url, user):
    status, body = post(sim_url + "/sim/login", {"user": user})
    assert status == 200, (status, body)
    return json.loads(body)["code"]


def cpu_ms(pid):
    """User + system CPU the process has used: unlike wall time, barely moved by other load on the machine."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return -1


class Function:
    """One started package; with bootstrap=None every route is served (training)."""

    def __init__(self, pkg_dir, env_file, bootstrap, route_all=False):
        self.port = free_port()
        env = dict(os.environ)
        env.update(read_env(env_file))
        env.update({"WXPAYFN_CODE_DIR": pkg_dir, "WXPAYFN_HTTP_PORT": str(self.port),
                    "WECHATPAY_NOTIFY_URL": f"http://127.0.0.1:{self.port}/payment-callback",
                    "WECHATPAY_REFUND_NOTIFY_URL": f"http://127.0.0.1:{self.port}/refund-callback"})
        env.setdefault("SESSION_SECRET", "coldstart-session-secret-0123456789abcdef")
        env.setdefault("OPERATOR_API_KEY", "coldstart-operator-key-0123456789")
        env.setdefault("ORDER_STORE_URI", f"sqlite:/tmp/wxpayfn-coldstart-{self.port}.db")
        env.setdefault("CATALOGUE_PATH", os.path.join(os.path.dirname(__file__), "catalogue.sample.json"))
        self.env = env
        self.store = env["ORDER_STORE_URI"]
        self.log = open(f"/tmp/wxpayfn-coldstart-{self.port}.log", "wb")
        command = [bootstrap]
        if route_all:
            # Same runtime, argfile and jar as scf_bootstrap, minus FUNCTION_ROUTE: training sees every route.
            command = ["bash", "-c", 'unset FUNCTION_ROUTE; exec "$0" @"$1" -Dquarkus.http.host=127.0.0.1 '
                       '-Dquarkus.http.port="$2" -jar "$3"', f"{pkg_dir}/jre/bin/java",
                       f"{pkg_dir}/jvm.options", str(self.port), f"{pkg_dir}/app/quarkus-run.jar"]
        self.started = time.monotonic()
        self.process = subprocess.Popen(command, env=env, stdout=self.log, stderr=subprocess.STDOUT,
                                        start_new_session=True)
        self.url = f"http://127.0.0.1:{self.port}"

    def wait_listening(self):
        deadline = self.started + STARTUP_LIMIT_S
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"function exited with {self.process.returncode}; see {self.log.name}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.05):
                    return
            except OSError:
                time.sleep(0.002)
        raise TimeoutError(f"not listening after {STARTUP_LIMIT_S}s; see {self.log.name}")

    def stop(self, graceful=True):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM if graceful else signal.SIGKILL)
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.log.close()
        if self.store.startswith("sqlite:/tmp/wxpayfn-coldstart-"):
            for suffix in ("", "-wal", "-shm"):
                if os.path.exists(self.store[7:] + suffix):
                    os.remove(self.store[7:] + suffix)


def first(pkg_dir, sim_url, env_file):
    code = login_code(sim_url, "coldstart")
    function = Function(pkg_dir, env_file, f"{pkg_dir}/scf_bootstrap")
    try:
        function.wait_listening()
        status, body = post(function.url + "/login", {"code": code})
        elapsed_ms = (time.monotonic() - function.started) * 1000
        answer = json.loads(body)
        if status != 200 or answer.get("errcode") != 0:
            raise RuntimeError(f"login answered {status} {body[:200]!r}")
        pid = function.process.pid
        print(json.dumps({"first_answer_ms": round(elapsed_ms, 1), "cpu_ms": cpu_ms(pid), "rss_kib": rss_kib(pid)}))
    finally:
        function.stop(graceful=False)


def train(pkg_dir, sim_url, env_file):
    function = Function(pkg_dir, env_file, None, route_all=True)
    try:
        function.wait_listening()
        operator = {"X-Operator-Key": function.env["OPERATOR_API_KEY"]}
        for round_no in range(3):
            status, body = post(function.url + "/login", {"code": login_code(sim_url, f"trainer{round_no}")})
            token = json.loads(body)["data"]["token"]
            user = {"Authorization": "Bearer " + token}
            placed = call(function, "unifiedOrder", {"idempotencyKey": f"train-{function.port}-{round_no}-a",
                                                     "items": [{"productId": "coffee-latte", "quantity": 2}]}, user)
            out_trade_no = placed["order"]["outTradeNo"]
            prepay_id = placed["payment"]["package"].split("=", 1)[1]
            call(function, "queryOrder", {"outTradeNo": out_trade_no}, user)
            post(sim_url + "/sim/pay", {"prepay_id": prepay_id})
            wait_status(function, out_trade_no, user, "PAID")
            refund = call(function, "refund", {"outTradeNo": out_trade_no, "amount": 1000, "reason": "training"},
                          operator)
            call(function, "queryRefund", {"outRefundNo": refund["refund"]["outRefundNo"]}, operator)
            other = call(function, "unifiedOrder", {"idempotencyKey": f"train-{function.port}-{round_no}-b",
                                                    "items": [{"productId": "mug", "quantity": 1}]}, user)
            call(function, "closeOrder", {"outTradeNo": other["order"]["outTradeNo"]}, user)
            for route in ("payment-callback", "refund-callback"):   # refused notifications: the verify path
                post(function.url + "/" + route, b'{"id":"EV-unsigned"}', {"Wechatpay-Serial": "x"})
            post(function.url + "/reconcile", {"staleAfterMinutes": 0}, operator)
            post(function.url + "/downloadBill", {"billDate": time.strftime("%Y-%m-%d", time.gmtime(time.time() - 86400))},
                 operator)
            post(function.url + "/login", b"{not json")
            post(function.url + "/login", {})
        time.sleep(2)  # lets the simulator's refund notification arrive and be handled
        print("training workload done")
    finally:
        function.stop(graceful=True)
        print(f"training JVM exited with {function.process.returncode}; log {function.log.name}")


def call(function, route, body, headers):
    status, raw = post(function.url + "/" + route, body, headers)
    answer = json.loads(raw)
    if status != 200 or answer.get("errcode") != 0:
        raise RuntimeError(f"{route} answered {status} {raw[:300]!r}")
    return answer["data"]


def wait_status(function, out_trade_no, user, wanted):
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if call(function, "queryOrder", {"outTradeNo": out_trade_no}, user)["status"] == wanted:
            return
        time.sleep(0.2)
    raise TimeoutError(f"{out_trade_no} never reached {wanted}")


if __name__ == "__main__":
    mode, pkg, sim, env_path = sys.argv[1:5]
    {"first": first, "train": train}[mode](os.path.abspath(pkg), sim.rstrip("/"), env_path)
