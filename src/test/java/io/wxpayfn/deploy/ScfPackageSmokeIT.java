package io.wxpayfn.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wxpayfn.simulator.SimulatorOptions;
import io.wxpayfn.simulator.WeChatPaySimulator;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Starts the {@code login} function from its package exactly as SCF does, by running its {@code scf_bootstrap}
 * (only the code directory and port are moved, through the bootstrap's two override variables), against the
 * WeChat Pay simulator, and checks it answers its own route and refuses every other.
 *
 * <p>With {@code -Ddeploy.package=target/deploy/login.zip} (made by scripts/package) it unzips that package:
 * jlink'ed JDK 25 runtime, AOT cache and all. Without it (plain {@code mvn verify}, where building the runtime
 * would take minutes) it lays out the same package from target/quarkus-app, deploy/jvm.options and
 * functions/login/scf_bootstrap, with the running JDK as the runtime.
 */
class ScfPackageSmokeIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @TempDir
    Path codeDir;

    private WeChatPaySimulator simulator;
    private Process function;
    private Path log;

    @BeforeEach
    void startSimulator() {
        simulator = WeChatPaySimulator.start(SimulatorOptions.defaults());
    }

    @AfterEach
    void stopEverything() throws IOException, InterruptedException {
        if (function != null) {
            function.descendants().forEach(ProcessHandle::destroyForcibly);
            function.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        simulator.close();
        // The laid-out package links to the build output and the JDK: unlink them, never delete through them.
        for (String link : List.of("app", "jre")) {
            if (Files.isSymbolicLink(codeDir.resolve(link))) {
                Files.delete(codeDir.resolve(link));
            }
        }
    }

    @Test
    void theLoginPackageAnswersLoginAndRefusesEveryOtherRoute() throws Exception {
        unpackLoginPackage();
        int port = freePort();
        startAsScfWould(port);
        String base = "http://127.0.0.1:" + port;

        HttpResponse<String> login = post(base + "/login", "{\"code\":\"" + simulator.loginCode("smoke") + "\"}");
        assertEquals(200, login.statusCode(), login.body());
        JsonNode answer = JSON.readTree(login.body());
        assertEquals(0, answer.get("errcode").asInt(), login.body());
        assertEquals(simulator.openidOf("smoke"), answer.at("/data/openid").asText());

        for (String other : List.of("/unifiedOrder", "/refund", "/payment-callback", "/refund-callback", "/", "/q/dev")) {
            HttpResponse<String> refused = post(base + other, "{}");
            assertEquals(404, refused.statusCode(), other);
            JsonNode envelope = JSON.readTree(refused.body());
            assertEquals(40401, envelope.get("errcode").asInt(), other);
            assertEquals("this deployment serves only /login", envelope.get("errmsg").asText(), other);
        }
    }

    @Test
    void theLoginPackageNeverOpensTheStore() throws Exception {
        unpackLoginPackage();
        int port = freePort();
        startAsScfWould(port);

        HttpResponse<String> login = post("http://127.0.0.1:" + port + "/login",
                "{\"code\":\"" + simulator.loginCode("no-store") + "\"}");
        assertEquals(200, login.statusCode(), login.body());
        assertFalse(Files.exists(codeDir.resolve("orders.db")), "login opened its SQLite store");
    }

    private void unpackLoginPackage() throws IOException, InterruptedException {
        String zip = System.getProperty("deploy.package", "");
        if (!zip.isBlank()) {
            run(List.of("unzip", "-q", Path.of(zip).toAbsolutePath().toString(), "-d", codeDir.toString()));
            return;
        }
        Path app = Path.of("target/quarkus-app").toAbsolutePath();
        assertTrue(Files.isRegularFile(app.resolve("quarkus-run.jar")), "mvn package must run before this test");
        Files.createSymbolicLink(codeDir.resolve("app"), app);
        Files.createSymbolicLink(codeDir.resolve("jre"), Path.of(System.getProperty("java.home")));
        Files.copy(Path.of("deploy/jvm.options"), codeDir.resolve("jvm.options"));
        Files.copy(Path.of("functions/login/scf_bootstrap"), codeDir.resolve("scf_bootstrap"));
        run(List.of("chmod", "755", codeDir.resolve("scf_bootstrap").toString()));
    }

    private void startAsScfWould(int port) throws Exception {
        Path bootstrap = codeDir.resolve("scf_bootstrap");
        assertTrue(Files.isExecutable(bootstrap), "scf_bootstrap must be executable in the package");
        log = Files.createTempFile("scf-smoke-", ".log");
        ProcessBuilder builder = new ProcessBuilder(bootstrap.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = builder.environment();
        env.put("WXPAYFN_CODE_DIR", codeDir.toString());
        env.put("WXPAYFN_HTTP_PORT", String.valueOf(port));
        env.putAll(simulator.functionEnvironment("http://127.0.0.1:" + port));
        env.put("ORDER_STORE_URI", "sqlite:" + codeDir.resolve("orders.db"));
        env.put("SESSION_SECRET", HexFormat.of().formatHex(new byte[32]).replace('0', '7'));
        env.remove("FUNCTION_ROUTE");
        function = builder.start();
        awaitListening(port);
    }

    /** Bounded: the package must be listening within a minute, or the test fails with its log. */
    private void awaitListening(int port) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!function.isAlive()) {
                throw new AssertionError("the function exited with " + function.exitValue() + ":\n"
                        + Files.readString(log));
            }
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                Thread.sleep(20);
            }
        }
        throw new AssertionError("the function is not listening after 60 s:\n" + Files.readString(log));
    }

    private static HttpResponse<String> post(String url, String body) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).inheritIO().start();
        if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new AssertionError(command + " failed");
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
