package io.wxpayfn.function;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.wxpayfn.simulator.SimulatorOptions;
import io.wxpayfn.simulator.WeChatPaySimulator;
import io.wxpayfn.store.FakeMongo;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

/**
 * Starts the WeChat Pay simulator for the function tests and hands the functions its settings, exactly the
 * environment variables a deployment sets. The store is picked by the system property {@code e2e.store}:
 * {@code sqlite} (default, a fresh file), {@code postgresql} (embedded PostgreSQL) or {@code mongodb} (the
 * in-memory protocol fake).
 */
public class SimulatorResource implements QuarkusTestResourceLifecycleManager {

    static final String OPERATOR_KEY = "operator-key-" + HexFormat.of().formatHex(random(12));
    static final String RECONCILE_KEY = "reconcile-key-" + HexFormat.of().formatHex(random(12));
    private static WeChatPaySimulator simulator;
    private AutoCloseable storeServer;

    public static WeChatPaySimulator simulator() {
        return simulator;
    }

    @Override
    public Map<String, String> start() {
        // Retries are scaled to a tenth: the first comes 1.5 s after a refusal, time enough to see it refused.
        simulator = WeChatPaySimulator.start(SimulatorOptions.defaults().withTimeScale(0.1));
        int port = freePort();
        Map<String, String> env = new HashMap<>(simulator.functionEnvironment("http://127.0.0.1:" + port));
        env.put("quarkus.http.test-port", String.valueOf(port));
        env.put("ORDER_STORE_URI", storeUri());
        env.put("SESSION_SECRET", HexFormat.of().formatHex(random(32)));
        env.put("OPERATOR_API_KEY", OPERATOR_KEY);
        env.put("RECONCILE_API_KEY", RECONCILE_KEY);
        env.put("CATALOGUE_PATH", Path.of("scripts/catalogue.sample.json").toAbsolutePath().toString());
        return env;
    }

    @Override
    public void stop() {
        if (simulator != null) {
            simulator.close();
        }
        if (storeServer != null) {
            try {
                storeServer.close();
            } catch (Exception e) {
                throw new IllegalStateException("store server did not stop", e);
            }
        }
    }

    private String storeUri() {
        try {
            switch (System.getProperty("e2e.store", "sqlite")) {
                case "sqlite" -> {
                    Path dir = Files.createDirectories(Path.of("target"));
                    return "sqlite:" + Files.createTempFile(dir, "e2e-orders-", ".db").toAbsolutePath();
                }
                case "postgresql" -> {
                    EmbeddedPostgres postgres = EmbeddedPostgres.start();
                    storeServer = postgres;
                    return "postgresql://postgres:postgres@localhost:" + postgres.getPort() + "/postgres";
                }
                case "mongodb" -> {
                    FakeMongo mongo = new FakeMongo("e2e");
                    storeServer = mongo;
                    return mongo.uri();
                }
                default -> throw new IllegalArgumentException("e2e.store must be sqlite, postgresql or mongodb");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] random(int bytes) {
        byte[] value = new byte[bytes];
        new SecureRandom().nextBytes(value);
        return value;
    }
}
