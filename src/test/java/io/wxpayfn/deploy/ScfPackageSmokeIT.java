package io.wxpayfn.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wxpayfn.config.DeclaredVariables;
import io.wxpayfn.config.FunctionSpecs;
import io.wxpayfn.identity.SessionTokens;
import io.wxpayfn.simulator.SimulatorOptions;
import io.wxpayfn.simulator.WeChatPaySimulator;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * What a merchant uploads, started as SCF starts it: every zip of scripts/package is unpacked in a fresh folder
 * (by Info-ZIP's unzip in another time zone, which restores the zip's times, and by an extractor that restores
 * none, as many do), the runtime layer beside it, and started through its own scf_bootstrap with only the
 * variables its function declares. The JVM runs with {@code -XX:AOTMode=on}, so a refused AOT cache fails the
 * start instead of silently running without it. Each package must answer its own route, refuse every other one,
 * and, started without a setting it needs, stop with one line naming it.
 */
class ScfPackageSmokeIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final Path DEPLOY =
            Path.of(System.getProperty("deploy.dir", "target/deploy")).toAbsolutePath();
    private static final Path WORK = Path.of("target/smoke").toAbsolutePath();
    private static final String SESSION_SECRET =
            HexFormat.of().formatHex(new byte[32]).replace('0', '7');
    private static final String RECONCILE_KEY = "smoke-reconcile-key-0123456789abcdef";
    private static final String OPERATOR_KEY = "smoke-operator-key-0123456789abcdef";
    private static final FunctionSpecs SPECS = FunctionSpecs.load();

    private static WeChatPaySimulator simulator;
    private static Path runtimeDir;

    /** How a package is unpacked before it is started. */
    enum Unpacker {
        /** Info-ZIP unzip, run in a time zone far from the packager's: restores the zip's times and modes. */
        INFO_ZIP,
        /** Python's zipfile, like most library extractors: restores the modes, every time is the extraction time. */
        NO_TIMES,
        /** NO_TIMES, then the code directory mounted read-only, as SCF's /var/user is. */
        NO_TIMES_READ_ONLY
    }

    @BeforeAll
    static void unpackTheRuntimeLayer() throws Exception {
        assertTrue(
                Files.isRegularFile(DEPLOY.resolve("runtime.zip")),
                "no " + DEPLOY + "/runtime.zip: scripts/package makes the packages (mvn -B verify runs it)");
        simulator = WeChatPaySimulator.start(SimulatorOptions.defaults());
        deleteTree(WORK);
        runtimeDir = Files.createDirectories(WORK.resolve("opt"));
        run(List.of("unzip", "-q", DEPLOY.resolve("runtime.zip").toString(), "-d", runtimeDir.toString()), Map.of());
    }

    @AfterAll
    static void stopSimulator() {
        if (simulator != null) {
            simulator.close();
        }
    }

    @TestFactory
    Stream<DynamicTest> everyShippedZipStartsWithItsCacheAcceptedAnswersItsRouteAndRefusesTheOthers() {
        List<DynamicTest> tests = new ArrayList<>();
        for (String function : SPECS.functions().keySet()) {
            for (Unpacker unpacker : Unpacker.values()) {
                if (unpacker == Unpacker.NO_TIMES_READ_ONLY
                        && !Set.of("login", "unifiedOrder").contains(function)) {
                    continue;
                }
                tests.add(DynamicTest.dynamicTest(
                        function + " unpacked by " + unpacker, () -> startsAndAnswers(function, unpacker)));
            }
            tests.add(DynamicTest.dynamicTest(
                    function + " without a setting it needs", () -> refusesToStartWithoutASettingItNeeds(function)));
        }
        tests.add(DynamicTest.dynamicTest(
                "login on a runtime its cache was not trained on",
                ScfPackageSmokeIT::saysInOneLineThatTheCacheIsRefusedOnAnotherRuntimeAndStillServes));
        return tests.stream();
    }

    /** A function package deployed with another layer version: one line says so, and it serves, only slower. */
    private static void saysInOneLineThatTheCacheIsRefusedOnAnotherRuntimeAndStillServes() throws Exception {
        Path otherRuntime = Files.createDirectories(WORK.resolve("other-opt"));
        if (!Files.exists(otherRuntime.resolve("jre"))) {
            Files.createSymbolicLink(
                    otherRuntime.resolve("jre"),
                    Path.of(System.getProperty(
                            "deploy.jdk",
                            System.getenv().getOrDefault("DEPLOY_JDK", "/usr/lib/jvm/temurin-25-jdk-amd64"))));
        }
        Path codeDir = unpack("login", Unpacker.INFO_ZIP);
        int port = freePort();
        try (Started started = start(
                codeDir,
                port,
                environment("login", port, Path.of("/tmp/unused.db")),
                Unpacker.INFO_ZIP,
                otherRuntime,
                false)) {
            started.awaitListening();
            HttpResponse<String> login = post(
                    "http://127.0.0.1:" + port + "/login",
                    "{\"code\":\"" + simulator.loginCode("other-runtime") + "\"}",
                    Map.of());
            assertEquals(0, JSON.readTree(login.body()).get("errcode").asInt(), login.body());
            List<String> refusal = started.log()
                    .lines()
                    .filter(line -> line.contains("AOT cache"))
                    .toList();
            assertEquals(1, refusal.size(), started.log());
            assertTrue(
                    refusal.get(0).startsWith("scf_bootstrap: AOT cache REFUSED: ")
                            && refusal.get(0).contains("is not the runtime it was trained on"),
                    refusal.get(0));
        }
    }

    private void startsAndAnswers(String function, Unpacker unpacker) throws Exception {
        Path codeDir = unpack(function, unpacker);
        int port = freePort();
        Path store = Path.of("/tmp", "wxpayfn-smoke-" + UUID.randomUUID() + ".db");
        try (Started started = start(codeDir, port, environment(function, port, store), unpacker)) {
            started.awaitListening();
            String base = "http://127.0.0.1:" + port;
            answersItsOwnRoute(function, base);
            String other = function.equals("login") ? "/unifiedOrder" : "/login";
            for (String route : List.of(other, "/", "/q/dev")) {
                HttpResponse<String> refused = post(base + route, "{}", Map.of());
                assertEquals(404, refused.statusCode(), route);
                assertEquals(
                        "this deployment serves only /" + function,
                        JSON.readTree(refused.body()).get("errmsg").asText(),
                        route);
            }
            String log = started.log();
            String expected = switch (unpacker) {
                case INFO_ZIP -> "scf_bootstrap: AOT cache: jar times as trained";
                case NO_TIMES -> "jar times differed from training, restored in place";
                case NO_TIMES_READ_ONLY -> "code directory read-only, app copied to /tmp/";
            };
            assertTrue(log.contains(expected), "expected '" + expected + "' in:\n" + log);
            assertFalse(log.contains("REFUSED") || log.contains("mismatch") || log.contains("[error][aot]"), log);
            assertFalse(log.contains("unexpected failure") || log.contains("Error injecting"), log);
            removeTheBootstrapsCopy(log);
            if (!SPECS.concernsOf(Optional.of(function)).contains("store")) {
                assertFalse(Files.exists(store), function + " opened a store it does not use");
            }
        } finally {
            for (String suffix : List.of("", "-wal", "-shm")) {
                Files.deleteIfExists(Path.of(store + suffix));
            }
        }
    }

    /** The read-only case leaves the bootstrap's copy of app/ in /tmp, as on SCF; a test run removes it. */
    private static void removeTheBootstrapsCopy(String log) throws IOException {
        java.util.regex.Matcher copy = java.util.regex.Pattern.compile(
                        "app copied to (/tmp/wxpayfn-app\\.[A-Za-z0-9]+)")
                .matcher(log);
        if (copy.find()) {
            deleteTree(Path.of(copy.group(1)));
        }
    }

    private void answersItsOwnRoute(String function, String base) throws Exception {
        if (function.equals("login")) {
            HttpResponse<String> login =
                    post(base + "/login", "{\"code\":\"" + simulator.loginCode("smoke") + "\"}", Map.of());
            JsonNode answer = JSON.readTree(login.body());
            assertEquals(0, answer.get("errcode").asInt(), login.body());
            assertEquals(simulator.openidOf("smoke"), answer.at("/data/openid").asText());
        } else if (function.equals("unifiedOrder")) {
            String token = userToken();
            HttpResponse<String> placed = post(
                    base + "/unifiedOrder",
                    "{\"idempotencyKey\":\"smoke-"
                            + UUID.randomUUID().toString().substring(0, 8)
                            + "\",\"items\":[{\"productId\":\"coffee-latte\",\"quantity\":2}]}",
                    Map.of("Authorization", "Bearer " + token));
            JsonNode answer = JSON.readTree(placed.body());
            assertEquals(0, answer.get("errcode").asInt(), "the packaged catalogue prices the order: " + placed.body());
            assertEquals(5600, answer.at("/data/order/total").asLong(), placed.body());
        } else if (function.endsWith("-callback")) {
            // An unsigned notification: verified, refused, not acknowledged (WeChat Pay would deliver it again).
            HttpResponse<String> refused =
                    post(base + "/" + function, "{\"id\":\"EV-smoke\"}", Map.of("Wechatpay-Serial", "smoke"));
            assertEquals(500, refused.statusCode(), refused.body());
        } else {
            // Past authentication and input checks into the function's own work: a documented refusal at most.
            Set<String> concerns = SPECS.concernsOf(Optional.of(function));
            Map<String, String> caller = concerns.contains("reconcile")
                    ? Map.of("X-Operator-Key", RECONCILE_KEY)
                    : concerns.contains("session")
                            ? Map.of("Authorization", "Bearer " + userToken())
                            : Map.of("X-Operator-Key", OPERATOR_KEY);
            String body = switch (function) {
                case "queryRefund" -> "{\"outRefundNo\":\"NOSUCHORDER1R01\"}";
                case "downloadBill" ->
                    "{\"billDate\":\"" + java.time.LocalDate.now(java.time.ZoneId.of("Asia/Shanghai")) + "\"}";
                case "reconcile" -> "{}";
                case "listOrders" -> "{\"payStatus\":2}";
                case "deliverEvents" -> "{}";
                case "listEvents" -> "{\"state\":\"PENDING\"}";
                case "redeliverEvents" -> "{\"eventId\":\"evt_NOSUCHORDER1_1\"}";
                default -> "{\"outTradeNo\":\"NOSUCHORDER1\"}";
            };
            HttpResponse<String> own = post(base + "/" + function, body, caller);
            int errcode = JSON.readTree(own.body()).path("errcode").asInt(-1);
            assertEquals(200, own.statusCode(), own.body());
            assertTrue(errcode == 0 || errcode == 40401 || errcode == 50201, function + " answered " + own.body());
        }
    }

    private static String userToken() {
        return new SessionTokens(
                        SESSION_SECRET, simulator.merchant().appid(), Duration.ofMinutes(10), Clock.systemUTC())
                .issue(simulator.openidOf("smoke"))
                .token();
    }

    private void refusesToStartWithoutASettingItNeeds(String function) throws Exception {
        String needed = SPECS.concernsOf(Optional.of(function)).stream()
                .flatMap(concern -> SPECS.concerns().get(concern).required().stream())
                .findFirst()
                .orElseThrow();
        Path codeDir = unpack(function, Unpacker.INFO_ZIP);
        int port = freePort();
        Map<String, String> env = environment(function, port, Path.of("/tmp/wxpayfn-smoke-unused.db"));
        env.remove(needed);
        try (Started started = start(codeDir, port, env, Unpacker.INFO_ZIP)) {
            assertTrue(started.process.waitFor(60, TimeUnit.SECONDS), "still running without " + needed);
            assertEquals(2, started.process.exitValue(), started.log());
            List<String> refusal = started.log()
                    .lines()
                    .filter(line -> line.contains("configuration error"))
                    .toList();
            assertEquals(
                    List.of("configuration error: " + needed + ": is required but not set"), refusal, started.log());
        }
    }

    /** Only the variables the function declares in functions.json, as its generated serverless.yml gives it. */
    private static Map<String, String> environment(String function, int port, Path store) {
        Map<String, String> all = new java.util.HashMap<>(simulator.functionEnvironment("http://127.0.0.1:" + port));
        all.put("ORDER_STORE_URI", "sqlite:" + store);
        all.put("SESSION_SECRET", SESSION_SECRET);
        all.put("OPERATOR_API_KEY", OPERATOR_KEY);
        // Order events on, to a port nobody listens on: an event the smoke run records fails to arrive, harmlessly.
        all.put("MERCHANT_EVENTS_URL", "http://127.0.0.1:1/order-events");
        all.put("MERCHANT_EVENTS_SECRET", "smoke-order-events-secret-0123456789");
        all.put("RECONCILE_API_KEY", RECONCILE_KEY);
        all.keySet().retainAll(DeclaredVariables.of(SPECS, function));
        return all;
    }

    private static Path unpack(String function, Unpacker unpacker) throws Exception {
        Path codeDir = Files.createDirectories(WORK.resolve(function + "-" + unpacker + "-" + UUID.randomUUID()));
        String zip = DEPLOY.resolve(function + ".zip").toString();
        if (unpacker == Unpacker.INFO_ZIP) {
            run(List.of("unzip", "-q", zip, "-d", codeDir.toString()), Map.of("TZ", "America/Los_Angeles"));
        } else {
            run(
                    List.of(
                            "python3",
                            "-c",
                            "import os,sys,zipfile\n"
                                    + "with zipfile.ZipFile(sys.argv[1]) as z:\n"
                                    + "    for info in z.infolist():\n"
                                    + "        path = z.extract(info, sys.argv[2])\n"
                                    + "        mode = info.external_attr >> 16\n"
                                    + "        if mode and not info.is_dir():\n"
                                    + "            os.chmod(path, mode & 0o777)\n",
                            zip,
                            codeDir.toString()),
                    Map.of("TZ", "Asia/Shanghai"));
        }
        return codeDir;
    }

    private static Started start(Path codeDir, int port, Map<String, String> settings, Unpacker unpacker)
            throws IOException {
        return start(codeDir, port, settings, unpacker, runtimeDir, true);
    }

    private static Started start(
            Path codeDir, int port, Map<String, String> settings, Unpacker unpacker, Path runtime, boolean requireCache)
            throws IOException {
        Path bootstrap = codeDir.resolve("scf_bootstrap");
        assertTrue(Files.isExecutable(bootstrap), "scf_bootstrap must be executable in the package");
        List<String> command = unpacker == Unpacker.NO_TIMES_READ_ONLY
                // A private mount namespace: the read-only bind mount lives and dies with the function process.
                ? List.of(
                        "unshare",
                        "-m",
                        "sh",
                        "-c",
                        "mount --bind \"$0\" \"$0\" && mount -o remount,ro,bind \"$0\" "
                                + "\"$0\" && exec \"$0/scf_bootstrap\"",
                        codeDir.toString())
                : List.of(bootstrap.toString());
        Path log = Files.createTempFile(WORK, "scf-smoke-", ".log");
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = builder.environment();
        env.keySet()
                .removeIf(name -> name.startsWith("WECHAT")
                        || name.startsWith("ORDER_")
                        || name.equals("FUNCTION_ROUTE")
                        || name.equals("CATALOGUE_PATH")
                        || name.startsWith("JAVA_"));
        env.putAll(settings);
        env.put("WXPAYFN_CODE_DIR", codeDir.toString());
        env.put("WXPAYFN_RUNTIME_DIR", runtime.toString());
        env.put("WXPAYFN_HTTP_PORT", String.valueOf(port));
        if (requireCache) {
            // A cache the JVM cannot use is an error, not a slow start.
            env.put("JDK_JAVA_OPTIONS", "-XX:AOTMode=on");
        }
        return new Started(builder.start(), log, port);
    }

    private record Started(Process process, Path logFile, int port) implements AutoCloseable {

        /** Bounded: the package must be listening within a minute, or the test fails with its log. */
        void awaitListening() throws Exception {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new AssertionError("the function exited with " + process.exitValue() + ":\n" + log());
                }
                try (Socket ignored = new Socket("127.0.0.1", port)) {
                    return;
                } catch (IOException notYet) {
                    Thread.sleep(20);
                }
            }
            throw new AssertionError("the function is not listening after 60 s:\n" + log());
        }

        String log() throws IOException {
            return Files.readString(logFile, StandardCharsets.UTF_8);
        }

        @Override
        public void close() throws InterruptedException {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static HttpResponse<String> post(String url, String body, Map<String, String> headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void run(List<String> command, Map<String, String> env) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
        builder.environment().putAll(env);
        Process process = builder.start();
        if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new AssertionError(command.get(0) + " failed");
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (Files.exists(root)) {
            try (Stream<Path> paths = Files.walk(root)) {
                paths.sorted(java.util.Comparator.reverseOrder())
                        .forEach(path -> path.toFile().delete());
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
