package io.wxpayfn.function;

import static io.wxpayfn.function.Shop.assertOk;
import static io.wxpayfn.function.Shop.call;
import static io.wxpayfn.function.Shop.simulator;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;

/**
 * Bodies far over a route's limit are refused with 413 before they are buffered, so a flood of them (what drove a
 * 180 MB function into OutOfMemoryError) leaves the function answering.
 */
@QuarkusTest
class BodyFloodTest {

    static final long TEN_MIB = 10L << 20;

    static void assertRefusedAsTooLarge(RawHttp.Answer answer) {
        assertEquals(413, answer.status(), answer.body());
        JsonPath envelope = JsonPath.from(answer.body());
        assertEquals(40001, envelope.getInt("errcode"), answer.body());
        assertTrue(envelope.getString("errmsg").startsWith("body:"), answer.body());
        assertTrue(answer.closedAfterAnswer(), "the connection is closed, so the rest of the body is never read");
    }

    @Test
    void aFloodOfTenMebibyteBodiesIsRefusedWith413AndTheFunctionKeepsAnswering() throws Exception {
        int port = RestAssured.port;
        ExecutorService clients = Executors.newFixedThreadPool(16);
        try (LogCapture log = LogCapture.start()) {
            List<Future<RawHttp.Answer>> answers = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                answers.add(clients.submit(() -> RawHttp.postWithLength(port, "/login", TEN_MIB, TEN_MIB)));
                answers.add(clients.submit(() -> RawHttp.postChunked(port, "/login", TEN_MIB)));
            }
            for (Future<RawHttp.Answer> answer : answers) {
                assertRefusedAsTooLarge(answer.get(30, TimeUnit.SECONDS));
            }
            assertEquals(
                    16,
                    log.lines(line -> line.atLeast(Level.WARNING)
                                    && line.message().contains("/login"))
                            .size(),
                    "one line per refused body");
            assertEquals(List.of(), log.lines(line -> line.thrown() != null), "no stack trace");
        } finally {
            clients.shutdownNow();
        }
        JsonPath login =
                call(null, "login", java.util.Map.of("code", simulator().loginCode("after-the-flood")));
        assertOk(login);
    }

    @Test
    void aDeclaredLengthOverTheLimitIsRefusedWithoutWaitingForTheBody() throws Exception {
        assertRefusedAsTooLarge(RawHttp.postWithLength(RestAssured.port, "/login", TEN_MIB, 0));
    }

    @Test
    void aChunkedBodyIsCutOffAtTheLimitAndACallbackGivenOneIsNotAcknowledged() throws Exception {
        long endless = 64L << 20;
        RawHttp.Answer answer = RawHttp.postChunked(RestAssured.port, "/payment-callback", endless);
        assertRefusedAsTooLarge(answer);
        assertTrue(answer.bodyBytesSent() < endless, "the server stopped reading; it took " + answer.bodyBytesSent());
    }

    @Test
    void overHttp2ACallIsAnsweredAndAnOversizedBodyRefused() throws Exception {
        HttpClient http2 =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
        // The first request upgrades the connection (h2c); the next ones are HTTP/2 streams.
        HttpResponse<String> login = http2.send(
                post("/login", "{\"code\":\"" + simulator().loginCode("h2") + "\"}"),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, login.statusCode(), login.body());
        assertOk(JsonPath.from(login.body()));
        HttpResponse<String> again = http2.send(
                post("/login", "{\"code\":\"" + simulator().loginCode("h2") + "\"}"),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(HttpClient.Version.HTTP_2, again.version(), "the call went over HTTP/2");
        assertOk(JsonPath.from(again.body()));

        HttpResponse<String> oversized = http2.send(
                post("/login", "{\"code\":\"" + "a".repeat(1 << 20) + "\"}"), HttpResponse.BodyHandlers.ofString());
        assertEquals(HttpClient.Version.HTTP_2, oversized.version());
        assertEquals(413, oversized.statusCode(), oversized.body());
        assertEquals(40001, JsonPath.from(oversized.body()).getInt("errcode"));
    }

    private static HttpRequest post(String path, String body) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + RestAssured.port + path))
                .timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
    }
}
