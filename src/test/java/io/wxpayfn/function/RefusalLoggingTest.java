package io.wxpayfn.function;

import static io.restassured.RestAssured.given;
import static io.wxpayfn.function.Shop.login;
import static io.wxpayfn.function.Shop.placeLatte;
import static io.wxpayfn.function.Shop.simulator;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.wxpayfn.simulator.Delivery;
import io.wxpayfn.simulator.NotificationFault;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;

/**
 * A refused request costs the log one line without a stack trace, whoever sends it and however often: traces are
 * kept for our own bugs. Each test counts what the framework logged (every {@code io.quarkus} category) and what
 * our code logged about this one request (found by a value only this request carries).
 */
@QuarkusTest
class RefusalLoggingTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void malformedJsonIsOneWarningLineWithoutATrace() {
        String token = login("wendy");
        String marker = "/unifiedOrder";
        try (LogCapture log = LogCapture.start()) {
            given().contentType("application/json")
                    .header("Authorization", "Bearer " + token)
                    .body("{\"items\": [")
                    .post(marker)
                    .then()
                    .statusCode(400);
            assertOneLineWithoutTrace(log, marker, Level.WARNING);
        }
    }

    @Test
    void oversizedBodyIsOneWarningLineWithoutATrace() throws Exception {
        // A socket of our own: an HTTP client library may send again a body the server stopped reading.
        String marker = "/login";
        try (LogCapture log = LogCapture.start()) {
            RawHttp.Answer answer = RawHttp.postWithLength(RestAssured.port, marker, 1 << 20, 1 << 20);
            assertEquals(413, answer.status(), answer.body());
            assertOneLineWithoutTrace(log, marker, Level.WARNING);
        }
    }

    @Test
    void oversizedStreamedBodyIsOneWarningLineWithoutATrace() throws Exception {
        String marker = "/refund-callback";
        try (LogCapture log = LogCapture.start()) {
            RawHttp.Answer answer = RawHttp.postChunked(RestAssured.port, marker, 1 << 20);
            assertEquals(413, answer.status(), answer.body());
            assertTrue(answer.closedAfterAnswer());
            assertOneLineWithoutTrace(log, marker, Level.WARNING);
        }
    }

    @Test
    void aGetIsOneWarningLineWithoutATrace() {
        String marker = "/queryOrder";
        try (LogCapture log = LogCapture.start()) {
            given().get(marker + "?outTradeNo=WX0000000000").then().statusCode(405);
            assertOneLineWithoutTrace(log, marker, Level.WARNING);
        }
    }

    @Test
    void forgedNotificationIsOneWarningLineWithoutATraceAndIsNotAcknowledged() {
        String serial = "FORGED" + UUID.randomUUID().toString().replace("-", "").toUpperCase();
        byte[] signature = new byte[256];
        new java.util.Random(7).nextBytes(signature);
        try (LogCapture log = LogCapture.start()) {
            given().contentType("application/json")
                    .header("Wechatpay-Serial", serial)
                    .header("Wechatpay-Signature", Base64.getEncoder().encodeToString(signature))
                    .header("Wechatpay-Timestamp", String.valueOf(Instant.now().getEpochSecond()))
                    .header("Wechatpay-Nonce", "forged-nonce")
                    .body(
                            "{\"id\":\"forged\",\"event_type\":\"TRANSACTION.SUCCESS\",\"resource_type\":\"encrypt-resource\","
                                    + "\"resource\":{\"algorithm\":\"AEAD_AES_256_GCM\",\"ciphertext\":\"AAAA\","
                                    + "\"associated_data\":\"transaction\",\"nonce\":\"abcdefghijkl\"}}")
                    .post("/payment-callback")
                    .then()
                    .statusCode(500);
            assertOneLineWithoutTrace(log, serial, Level.WARNING);
        }
    }

    @Test
    void amountMismatchAlertIsOneErrorLineWithoutATraceAndIsNotAcknowledged() {
        String[] order = placeLatte(login("xena"));
        simulator().faults().onNextNotification(order[0], NotificationFault.amountMismatch());
        try (LogCapture log = LogCapture.start()) {
            simulator().pay(order[1]);
            Delivery refused = simulator()
                    .awaitDeliveries(d -> d.concerns(order[0]) && d.kind() == Delivery.Kind.AMOUNT_MISMATCH, 1, WAIT)
                    .get(0);
            assertEquals(500, refused.status(), "an amount that contradicts the order is not acknowledged");
            // WeChat Pay's genuine retry is then applied; waiting for it also keeps it out of the other tests.
            simulator().awaitAcknowledged(order[0], "TRANSACTION.SUCCESS", WAIT);
            LogCapture.Line alert = assertOneLineWithoutTrace(log, order[0], Level.SEVERE);
            assertTrue(alert.message().contains("ALERT"), alert.message());
        }
    }

    /**
     * Exactly one line at WARN or above that names the request or comes from the framework, at {@code level},
     * printed as one line; and no line written meanwhile carries a stack trace.
     */
    private static LogCapture.Line assertOneLineWithoutTrace(LogCapture log, String marker, Level level) {
        Predicate<LogCapture.Line> aboutThisRequest = line -> line.atLeast(Level.WARNING)
                && (line.category().startsWith("io.quarkus") || line.message().contains(marker));
        List<LogCapture.Line> lines = log.lines(aboutThisRequest);
        assertEquals(1, lines.size(), "one log line for the refusal, got " + lines);
        LogCapture.Line line = lines.get(0);
        assertEquals(level.intValue(), line.level().intValue(), line.toString());
        assertNull(line.thrown(), "no stack trace: " + line);
        assertEquals(1, line.printedLines(), line.toString());
        List<LogCapture.Line> traces = log.lines(l -> l.thrown() != null);
        assertEquals(List.of(), traces, "no line written during the refusal carries a stack trace");
        return line;
    }
}
