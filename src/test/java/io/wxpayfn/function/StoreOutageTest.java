package io.wxpayfn.function;

import static io.restassured.RestAssured.given;
import static io.wxpayfn.function.Shop.login;
import static io.wxpayfn.function.Shop.placeLatte;
import static io.wxpayfn.function.Shop.queryOrder;
import static io.wxpayfn.function.Shop.simulator;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.wxpayfn.simulator.Delivery;
import io.wxpayfn.simulator.NotificationFault;
import io.wxpayfn.simulator.SignedNotification;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The shared store going away mid-run: a payment notification is answered non-2xx so WeChat Pay delivers it again
 * later, and callers get the retryable 50302 with an error id; the store's host, port and driver message go only to
 * the log line with that id.
 */
@QuarkusTest
@TestProfile(StoreOutageTest.StoppablePostgres.class)
class StoreOutageTest {

    /**
     * The functions on a real PostgreSQL server that the test stops halfway. Quarkus reads a profile in two class
     * loaders, so the one server is kept in the JVM-wide system properties (as a plain {@link AutoCloseable})
     * rather than in a static field each loader would have its own copy of.
     */
    public static class StoppablePostgres implements QuarkusTestProfile {
        private static final String SERVER = "store-outage-test.postgres";
        static final String PORT = "store-outage-test.port";

        @Override
        public synchronized Map<String, String> getConfigOverrides() {
            if (System.getProperty(PORT) == null) {
                try {
                    EmbeddedPostgres postgres = EmbeddedPostgres.start();
                    System.getProperties().put(SERVER, (AutoCloseable) postgres);
                    System.setProperty(PORT, String.valueOf(postgres.getPort()));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            return Map.of(
                    "ORDER_STORE_URI",
                    "postgresql://postgres:postgres@localhost:" + System.getProperty(PORT)
                            + "/postgres?connectTimeout=1");
        }

        static void stop() throws Exception {
            ((AutoCloseable) System.getProperties().remove(SERVER)).close();
            System.clearProperty(PORT);
        }
    }

    @Test
    void storeFailureIsRetryableForCallersWithAnErrorIdOnlyAndNon2xxForWeChatPay() throws Exception {
        String token = login("victor");
        String[] order = placeLatte(token);
        simulator().faults().onNextNotification(order[0], NotificationFault.drop());
        simulator().pay(order[1]);
        simulator()
                .awaitDeliveries(
                        d -> d.concerns(order[0]) && d.kind() == Delivery.Kind.DROPPED, 1, Duration.ofSeconds(10));

        String port = System.getProperty(StoppablePostgres.PORT);
        StoppablePostgres.stop();
        simulator().redeliver(order[0], 1, false);
        Delivery refused = simulator()
                .awaitDeliveries(
                        d -> d.concerns(order[0]) && d.kind() == Delivery.Kind.REDELIVERY, 1, Duration.ofSeconds(10))
                .get(0);
        assertEquals(500, refused.status(), "WeChat Pay must be told to retry");

        try (LogCapture log = LogCapture.start()) {
            var answer = queryOrder(token, order[0]);
            assertEquals(50302, answer.getInt("errcode"), answer.prettify());
            assertFalse(answer.getString("errmsg").contains("Exception"));
            assertOnlyAnErrorIdReachesTheCaller(answer.getString("errmsg"), port, log);

            SignedNotification notification = simulator().signedNotification(order[0]);
            String callbackAnswer = given().headers(notification.headers())
                    .contentType("application/json")
                    .body(notification.body())
                    .post("/payment-callback")
                    .then()
                    .statusCode(500)
                    .extract()
                    .asString();
            assertOnlyAnErrorIdReachesTheCaller(callbackAnswer, port, log);
        }
    }

    /** No host, port or driver text in what the caller got, and the error id it got names one log line with them. */
    private static void assertOnlyAnErrorIdReachesTheCaller(String answer, String port, LogCapture log) {
        for (String internal : List.of("localhost", "127.0.0.1", port, "postgresql", "PSQL", "Connection", "refused")) {
            assertFalse(answer.contains(internal), internal + " reached the caller: " + answer);
        }
        String id = ResponsesTest.errorIdIn(answer);
        List<LogCapture.Line> lines = log.lines(line -> line.message().contains(id));
        assertEquals(1, lines.size(), lines.toString());
        assertTrue(lines.get(0).message().contains("postgresql order store unavailable"), lines.toString());
        assertNull(lines.get(0).thrown(), "an outage is not our bug: no trace");
    }
}
