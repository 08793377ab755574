package io.wxpayfn.function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wxpayfn.bench.AppProcess;
import io.wxpayfn.simulator.SimulatorOptions;
import io.wxpayfn.simulator.WeChatPaySimulator;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The flood that drove a deployed {@code login} into OutOfMemoryError, against the packaged application
 * (target/quarkus-app) in its own process with the heap a deployed function has: deploy/jvm.options'
 * MaxRAMPercentage of functions/login/serverless.yml's memorySize. Three waves of eight concurrent 10 MiB bodies,
 * declared and streamed, then a login that must be answered, and no OutOfMemoryError in the process's log.
 */
class OversizedBodyFloodIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final long TEN_MIB = 10L << 20;

    @Test
    void theLoginFunctionWithADeployedHeapAnswersAfterAFloodOfTenMebibyteBodies() throws Exception {
        Path work = Files.createDirectories(Path.of("target/flood-it"));
        Path log = work.resolve("function.log");
        try (WeChatPaySimulator simulator = WeChatPaySimulator.start(SimulatorOptions.defaults());
                AppProcess function = startLogin(simulator, work, log)) {
            function.awaitReady(HTTP, Duration.ofSeconds(60));
            int port = URI.create(function.baseUrl()).getPort();
            ExecutorService clients = Executors.newFixedThreadPool(8);
            try {
                for (int wave = 0; wave < 3; wave++) {
                    List<Future<RawHttp.Answer>> answers = new ArrayList<>();
                    for (int i = 0; i < 8; i++) {
                        boolean streamed = (wave + i) % 2 == 0;
                        answers.add(clients.submit(() -> streamed
                                ? RawHttp.postChunked(port, "/login", TEN_MIB)
                                : RawHttp.postWithLength(port, "/login", TEN_MIB, TEN_MIB)));
                    }
                    for (Future<RawHttp.Answer> answer : answers) {
                        BodyFloodTest.assertRefusedAsTooLarge(answer.get(60, TimeUnit.SECONDS));
                    }
                }
            } finally {
                clients.shutdownNow();
            }

            HttpResponse<String> login = HTTP.send(
                    HttpRequest.newBuilder(URI.create(function.baseUrl() + "/login"))
                            .timeout(Duration.ofSeconds(20))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(
                                    "{\"code\":\"" + simulator.loginCode("flood") + "\"}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, login.statusCode(), login.body());
            JsonNode answer = JSON.readTree(login.body());
            assertEquals(0, answer.get("errcode").asInt(), login.body());
            assertFalse(Files.readString(log).contains("OutOfMemoryError"), Files.readString(log));
        }
    }

    /** target/quarkus-app with deploy/jvm.options and the heap of a deployed login, serving only /login. */
    private static AppProcess startLogin(WeChatPaySimulator simulator, Path work, Path log) throws IOException {
        List<String> options = new ArrayList<>();
        for (String option : Files.readAllLines(Path.of("deploy/jvm.options"))) {
            if (!option.isBlank() && !option.startsWith("-Djava.io.tmpdir")) {
                options.add(option.trim());
            }
        }
        options.addAll(List.of(
                "-Xmx" + deployedHeapMiB("login") + "m",
                "-Dquarkus.http.host=127.0.0.1",
                "-Djava.io.tmpdir=" + work.toAbsolutePath()));
        int port = AppProcess.freePort();
        Map<String, String> env = new HashMap<>(simulator.functionEnvironment("http://127.0.0.1:" + port));
        env.put("ORDER_STORE_URI", "sqlite:" + work.resolve("orders.db").toAbsolutePath());
        env.put("SESSION_SECRET", HexFormat.of().formatHex(new byte[32]).replace('0', '7'));
        env.put("FUNCTION_ROUTE", "login");
        return AppProcess.start(port, options, env, log, work.resolve("function.pid"));
    }

    /** What a deployed function's JVM gets: MaxRAMPercentage (deploy/jvm.options) of its memorySize (MB). */
    private static int deployedHeapMiB(String functionName) throws IOException {
        int memoryMiB =
                Integer.parseInt(find(Path.of("functions", functionName, "serverless.yml"), "memorySize:\\s*(\\d+)"));
        int percent = Integer.parseInt(find(Path.of("deploy/jvm.options"), "-XX:MaxRAMPercentage=(\\d+)"));
        return memoryMiB * percent / 100;
    }

    private static String find(Path file, String regex) throws IOException {
        Matcher m = Pattern.compile(regex).matcher(Files.readString(file));
        assertTrue(m.find(), regex + " in " + file);
        return m.group(1);
    }
}
