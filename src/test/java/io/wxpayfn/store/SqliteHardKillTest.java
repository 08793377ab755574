package io.wxpayfn.store;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wxpayfn.order.Order;
import io.wxpayfn.order.OrderStore;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteHardKillTest {

    @TempDir
    Path dir;

    @Test
    void everyAcknowledgedTransitionSurvivesSigkillOfTheWriter() throws Exception {
        Path file = dir.resolve("orders.db");
        Process writer = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        SqliteKillTarget.class.getName(),
                        file.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        long lastAcked = -1;
        try (BufferedReader acks =
                new BufferedReader(new InputStreamReader(writer.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            int seen = 0;
            while (seen < 50 && (line = acks.readLine()) != null) {
                if (line.startsWith("ACK ")) {
                    lastAcked = Long.parseLong(line.substring(4).trim());
                    seen++;
                }
            }
            writer.destroyForcibly();
            assertTrue(writer.waitFor(30, TimeUnit.SECONDS), "writer did not die");
        }
        assertTrue(lastAcked >= 50, "the writer acknowledged only up to version " + lastAcked);

        try (OrderStore reopened = OrderStores.open("sqlite:" + file)) {
            Order stored = reopened.find("KILL1").orElseThrow();
            assertTrue(
                    stored.version() >= lastAcked,
                    "acknowledged version " + lastAcked + " but the file holds version " + stored.version());
        }
    }
}
