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
 * in-memory protocol fake). The merchant by {@code e2e.merchant}: {@code direct} (default) or {@code partner}, a
 * service provider for the simulator's two sub-merchants (the catalogue's products belong to the one with a
 * mini-program of its own, which the tests' users log in through, except the teas of the other one, paid in the
 * provider's mini-program), trusting both the platform certificate and the public key (the switch between them)
 * and failing over to the simulator's backup endpoint.
 */
public class SimulatorResource implements QuarkusTestResourceLifecycleManager {

    static final String OPERATOR_KEY = "operator-key-" + HexFormat.of().formatHex(random(12));
    static final String RECONCILE_KEY = "reconcile-key-" + HexFormat.of().formatHex(random(12));
    private static WeChatPaySimulator simulator;
    private AutoCloseable storeServer;

    public static WeChatPaySimulator simulator() {
        return simulator;
    }

    /** True when the functions run as a service provider (system property e2e.merchant=partner). */
    static boolean partner() {
        return "partner".equals(System.getProperty("e2e.merchant", "direct"));
    }

    /**
     * For the tests of partner mode, the key switch and failover, which only the functions-in-partner-mode
     * execution configures: run anywhere else, they stop at once saying so.
     */
    static void requirePartnerMode(Class<?> test) {
        if (!partner()) {
            throw new IllegalStateException(test.getSimpleName() + " runs with -De2e.merchant=partner (the"
                    + " functions-in-partner-mode execution of mvn verify, which configures partner mode, both keys"
                    + " and the backup domain)");
        }
    }

    /** The mini-program the tests' users log in through and order in (a sub-merchant's own in partner mode). */
    static String miniProgramAppid() {
        return partner()
                ? SimulatorOptions.SUB_MERCHANT_WITH_APP.subAppid()
                : simulator.merchant().appid();
    }

    @Override
    public Map<String, String> start() {
        // Retries are scaled to a tenth: the first comes 1.5 s after a refusal, time enough to see it refused.
        SimulatorOptions options = SimulatorOptions.defaults().withTimeScale(0.1);
        // Its own merchant id: the SDK keeps downloaded platform certificates per merchant id, JVM-wide.
        simulator = WeChatPaySimulator.start(partner() ? options.withMchid("1900000501") : options);
        int port = freePort();
        String functions = "http://127.0.0.1:" + port;
        Map<String, String> env = new HashMap<>(
                partner() ? simulator.partnerFunctionEnvironment(functions) : simulator.functionEnvironment(functions));
        if (partner()) {
            env.put("WECHATPAY_VERIFY_WITH", "both");
            env.put("WECHATPAY_BACKUP_BASE_URL", simulator.backupBaseUrl());
        }
        env.put("quarkus.http.test-port", String.valueOf(port));
        env.put("ORDER_STORE_URI", storeUri());
        env.put("SESSION_SECRET", HexFormat.of().formatHex(random(32)));
        env.put("OPERATOR_API_KEY", OPERATOR_KEY);
        env.put("RECONCILE_API_KEY", RECONCILE_KEY);
        env.put(
                "CATALOGUE_PATH",
                Path.of(partner() ? "scripts/catalogue.partner.sample.json" : "scripts/catalogue.sample.json")
                        .toAbsolutePath()
                        .toString());
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
                    return "sqlite:"
                            + Files.createTempFile(dir, "e2e-orders-", ".db").toAbsolutePath();
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
