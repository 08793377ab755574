#!/usr/bin/env python3
"""Starts an unpacked function package exactly as SCF would (its scf_bootstrap) and drives it.

  coldstart.py first  PKG_DIR SIM_URL ENV_FILE [FUNCTION [RUNTIME_DIR]]
                                                 -> one JSON line: ms from process start to the first answered
                                                    request of FUNCTION (login, default, or unifiedOrder), the CPU ms
                                                    the process used until then, VmRSS right after; the package is
                                                    started through its scf_bootstrap with only the variables its
                                                    function declares (functions/functions.json)
  coldstart.py floor  FLOOR SIM_URL ENV_FILE FUNCTION
                                                 -> the same line for a floor doing the same work: FLOOR is
                                                    scripts/floor/floor.js (Node.js) or the directory of the
                                                    compiled LoginFloor (plain JDK, login only)
  coldstart.py train  PKG_DIR SIM_URL ENV_FILE [FUNCTION]
                                                 -> runs the whole payment flow, then stops the process cleanly (an
                                                    AOT cache / AppCDS archive is written at exit). Without FUNCTION
                                                    the trained process serves every route; with it, the trained
                                                    process serves only that function (FUNCTION_ROUTE, as deployed)
                                                    and a helper process, trained on nothing, serves the rest of the
                                                    flow against the same store

The first request is a real login: the function calls jscode2session on the simulator and signs a session.
Every child is started in its own process group and killed with it, whatever happens.
"""
import base64
import hashlib
import hmac
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


ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def declared_variables(function_name):
    """The variables functions/functions.json gives a deployment of function_name."""
    with open(os.path.join(ROOT, "functions", "functions.json"), encoding="utf-8") as f:
        spec = json.load(f)
    uses = next(f["uses"] for f in spec["functions"] if f["name"] == function_name)
    return {v for concern in uses for v in spec["settings"][concern]["required"] + spec["settings"][concern]["optional"]}


def jvm_options(function_name):
    """The JVM flags functions/functions.json adds for function_name, as its scf_bootstrap does (train like deployed)."""
    if not function_name:
        return []
    with open(os.path.join(ROOT, "functions", "functions.json"), encoding="utf-8") as f:
        return next(f.get("jvmOptions", []) for f in json.load(f)["functions"] if f["name"] == function_name)


def session_token(env, openid):
    """A session token as SessionTokens issues it: base64url(v1|appid|openid|expiry) "." base64url(HMAC-SHA256)."""
    encode = lambda raw: base64.urlsafe_b64encode(raw).rstrip(b"=").decode()
    payload = encode(f"v1|{env['WECHATPAY_APPID']}|{openid}|{int(time.time()) + 3600}".encode())
    mac = hmac.new(env["SESSION_SECRET"].encode(), payload.encode(), hashlib.sha256).digest()
    return payload + "." + encode(mac)


class Function:
    """One started package: through bootstrap when given, else with the same runtime, argfile and jar serving
    route (every route when None). overrides replace environment entries (shared store, notify URLs)."""

    def __init__(self, pkg_dir, env_file, bootstrap, route=None, overrides=None, only_for=None, command=None):
        self.port = free_port()
        settings = read_env(env_file)
        settings.update({"WECHATPAY_NOTIFY_URL": f"http://127.0.0.1:{self.port}/payment-callback",
                         "WECHATPAY_REFUND_NOTIFY_URL": f"http://127.0.0.1:{self.port}/refund-callback"})
        settings.setdefault("SESSION_SECRET", "coldstart-session-secret-0123456789abcdef")
        settings.setdefault("OPERATOR_API_KEY", "coldstart-operator-key-0123456789")
        settings.setdefault("RECONCILE_API_KEY", "coldstart-reconcile-key-0123456789")
        settings.setdefault("ORDER_STORE_URI", f"sqlite:/tmp/wxpayfn-coldstart-{self.port}.db")
        if only_for is None:
            settings.setdefault("CATALOGUE_PATH", os.path.join(ROOT, "scripts", "catalogue.sample.json"))
        else:
            # Only what the function's deployment is given; the package brings its own catalogue.
            settings = {k: v for k, v in settings.items() if k in declared_variables(only_for)}
        self.settings = settings
        env = {k: v for k, v in os.environ.items()
               if not k.startswith(("WECHAT", "ORDER_", "SESSION_", "OPERATOR_", "RECONCILE_", "CATALOGUE_"))}
        env.update(settings)
        env.update({"WXPAYFN_CODE_DIR": pkg_dir, "WXPAYFN_HTTP_PORT": str(self.port), "PORT": str(self.port)})
        env.update(overrides or {})
        env = {key: value for key, value in env.items() if value is not None}
        self.env = env
        self.store = settings.get("ORDER_STORE_URI", "")
        self.log = open(f"/tmp/wxpayfn-coldstart-{self.port}.log", "wb")
        command = command or [bootstrap]
        if bootstrap is None and not command[0]:
            command = ["bash", "-c", 'if [ -z "$4" ]; then unset FUNCTION_ROUTE; else export FUNCTION_ROUTE="$4"; fi; '
                       'exec "$0" @"$1" $5 -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port="$2" -jar "$3"',
                       f"{pkg_dir}/jre/bin/java", f"{pkg_dir}/jvm.options", str(self.port),
                       f"{pkg_dir}/app/quarkus-run.jar", route or "", " ".join(jvm_options(route))]
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

    def url_for(self, route):
        return self.url + "/" + route

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


def first_request(function, sim_url, function_name):
    """Sends the first request as soon as the port accepts, answered for real: ms since start, CPU and RSS."""
    status, raw = post(sim_url + "/sim/login", {"user": f"coldstart-{function.port}"})
    user = json.loads(raw)
    try:
        function.wait_listening()
        if function_name == "login":
            status, body = post(function.url + "/login", {"code": user["code"]})
        else:
            token = session_token(function.settings, user["openid"])
            status, body = post(function.url + "/unifiedOrder",
                                {"idempotencyKey": f"coldstart-{function.port}",
                                 "items": [{"productId": "coffee-latte", "quantity": 1}]},
                                {"Authorization": f"Bearer {token}"})
        elapsed_ms = (time.monotonic() - function.started) * 1000
        answer = json.loads(body)
        if status != 200 or answer.get("errcode") != 0:
            raise RuntimeError(f"{function_name} answered {status} {body[:300]!r}; see {function.log.name}")
        pid = function.process.pid
        print(json.dumps({"first_answer_ms": round(elapsed_ms, 1), "cpu_ms": cpu_ms(pid), "rss_kib": rss_kib(pid)}))
    finally:
        function.stop(graceful=False)


def memory_size(function_name):
    with open(os.path.join(ROOT, "functions", "functions.json"), encoding="utf-8") as f:
        return next(f["memorySize"] for f in json.load(f)["functions"] if f["name"] == function_name)


def first(pkg_dir, sim_url, env_file, function_name="login", runtime_dir=None):
    # SCF runs the function in a container of its memorySize, from which the JVM sizes its heap; on this machine
    # MaxRAM stands in for that limit (the JVM would otherwise size its heap from the whole machine).
    overrides = {"JDK_JAVA_OPTIONS": f"-XX:MaxRAM={memory_size(function_name)}m "
                                     + os.environ.get("COLDSTART_JAVA_OPTIONS", "")}
    if runtime_dir:
        overrides["WXPAYFN_RUNTIME_DIR"] = runtime_dir
    first_request(Function(pkg_dir, env_file, f"{pkg_dir}/scf_bootstrap", overrides=overrides,
                           only_for=function_name), sim_url, function_name)


def floor(floor_program, sim_url, env_file, function_name):
    """floor_program: floor.js (Node.js), or a directory holding the compiled LoginFloor (plain JDK, login only)."""
    if floor_program.endswith(".js"):
        command = ["node", floor_program]
    else:
        command = [os.path.join(os.environ.get("DEPLOY_JDK", "/usr/lib/jvm/temurin-25-jdk-amd64"), "bin", "java"),
                   "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", f"-XX:MaxRAM={memory_size(function_name)}m",
                   "-cp", floor_program, "LoginFloor"]
    first_request(Function(os.path.dirname(floor_program), env_file, None, only_for=function_name,
                           overrides={"FUNCTION_ROUTE": function_name, "CATALOGUE_PATH":
                                      os.path.join(ROOT, "scripts", "catalogue.sample.json")},
                           command=command), sim_url, function_name)


def train(pkg_dir, sim_url, env_file, function_name=None):
    if function_name is None:
        trainee = Function(pkg_dir, env_file, None)
        helper = None
    else:
        trainee = Function(pkg_dir, env_file, None, route=function_name)
        # The helper must not write an archive of its own, shares the trainee's store and sends WeChat Pay's
        # notifications to the trainee when the trainee is the callback being trained.
        notify = {f"WECHATPAY_{kind}NOTIFY_URL": trainee.url_for(route)
                  for kind, route in (("", "payment-callback"), ("REFUND_", "refund-callback")) if route == function_name}
        helper = Function(pkg_dir, env_file, None, overrides={"JAVA_TOOL_OPTIONS": None,
                                                              "ORDER_STORE_URI": trainee.store, **notify})
    flow = Flow(trainee, helper, function_name)
    try:
        trainee.wait_listening()
        if helper:
            helper.wait_listening()
        flow.run(sim_url)
        time.sleep(2)  # lets the simulator's refund notification arrive and be handled
        print(f"training workload done ({function_name or 'every route'})")
    finally:
        if helper:
            helper.stop(graceful=False)
        trainee.stop(graceful=True)
        print(f"training JVM exited with {trainee.process.returncode}; log {trainee.log.name}")


class Flow:
    """The whole payment flow, three times; each call goes to the trainee when it serves that route."""

    def __init__(self, trainee, helper, function_name):
        self.trainee, self.helper, self.function_name = trainee, helper, function_name

    def url(self, route):
        served = self.helper is None or route == self.function_name
        return (self.trainee if served else self.helper).url_for(route)

    def post(self, route, body, headers=None):
        return post(self.url(route), body, headers)

    def call(self, route, body, headers):
        status, raw = self.post(route, body, headers)
        answer = json.loads(raw)
        if status != 200 or answer.get("errcode") != 0:
            raise RuntimeError(f"{route} answered {status} {raw[:300]!r}")
        return answer["data"]

    def run(self, sim_url):
        operator = {"X-Operator-Key": self.trainee.env["OPERATOR_API_KEY"]}
        scheduler = {"X-Operator-Key": self.trainee.env["RECONCILE_API_KEY"]}
        own_route = self.function_name or "login"
        tag = self.trainee.port
        for round_no in range(3):
            status, body = self.post("login", {"code": login_code(sim_url, f"trainer{round_no}")})
            token = json.loads(body)["data"]["token"]
            user = {"Authorization": "Bearer " + token}
            placed = self.call("unifiedOrder", {"idempotencyKey": f"train-{tag}-{round_no}-a",
                                                "items": [{"productId": "coffee-latte", "quantity": 2}]}, user)
            out_trade_no = placed["order"]["outTradeNo"]
            prepay_id = placed["payment"]["package"].split("=", 1)[1]
            self.call("queryOrder", {"outTradeNo": out_trade_no}, user)
            post(sim_url + "/sim/pay", {"prepay_id": prepay_id})
            self.wait_status(out_trade_no, user, "PAID")
            refund = self.call("refund", {"outTradeNo": out_trade_no, "amount": 1000, "reason": "training"}, operator)
            self.call("queryRefund", {"outRefundNo": refund["refund"]["outRefundNo"]}, operator)
            other = self.call("unifiedOrder", {"idempotencyKey": f"train-{tag}-{round_no}-b",
                                               "items": [{"productId": "mug", "quantity": 1}]}, user)
            self.call("closeOrder", {"outTradeNo": other["order"]["outTradeNo"]}, user)
            self.call("listOrders", {"payStatus": 2, "limit": 10}, user)
            self.call("listOrders", {"status": "CLOSED"}, operator)
            for route in ("payment-callback", "refund-callback"):   # refused notifications: the verify path
                self.post(route, b'{"id":"EV-unsigned"}', {"Wechatpay-Serial": "x"})
            self.post("reconcile", {"staleAfterMinutes": 0}, scheduler)
            self.post("downloadBill", {"billDate": time.strftime("%Y-%m-%d", time.gmtime(time.time() - 86400))},
                      scheduler)
            self.post(own_route, b"{not json")
            self.post(own_route, {})

    def wait_status(self, out_trade_no, user, wanted):
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.call("queryOrder", {"outTradeNo": out_trade_no}, user)["status"] == wanted:
                return
            time.sleep(0.2)
        raise TimeoutError(f"{out_trade_no} never reached {wanted}")


if __name__ == "__main__":
    mode, pkg, sim, env_path = sys.argv[1:5]
    {"first": first, "train": train, "floor": floor}[mode](os.path.abspath(pkg), sim.rstrip("/"), env_path,
                                                           *sys.argv[5:7])
