package io.wxpayfn.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.wxpayfn.order.DirectSnapshots;
import io.wxpayfn.order.EventSender;
import io.wxpayfn.order.Order;
import io.wxpayfn.order.OrderEvent;
import io.wxpayfn.order.OrderItem;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * One attempt of {@link HttpEventSender} against a real HTTP receiver: what it sends, that the documented snippets
 * accept it, that they reject every forgery, and that no receiver can hold an attempt past its timeout.
 */
class EventDeliveryHttpTest {

    private static final String SECRET = "s3cret-of-the-shop-0123456789abcdef";
    private static final ObjectMapper JSON = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    private static final Instant PAID_AT = Instant.parse("2026-11-23T04:00:00.123456Z");

    private final EventReceiver receiver = EventReceiver.start();

    @AfterEach
    void stop() {
        receiver.close();
    }

    private static OrderEvent paidEvent() {
        Order order = Order.unpaid(
                "WX0123456789abcdef",
                "wxd678efh567hg6787",
                "1900000109",
                "o-alice",
                "key-1",
                "拿铁咖啡",
                List.of(new OrderItem("latte", "拿铁咖啡", 2800, 1)),
                PAID_AT.plusSeconds(1800),
                PAID_AT);
        return order.applyPayment(
                        DirectSnapshots.payment(
                                "wxd678efh567hg6787",
                                "1900000109",
                                order.outTradeNo(),
                                "4200001",
                                "SUCCESS",
                                2800L,
                                2800L,
                                "o-alice",
                                PAID_AT),
                        "n-1",
                        PAID_AT)
                .orElseThrow()
                .events()
                .get(0);
    }

    private HttpEventSender sender(URI url, Duration timeout) {
        return new HttpEventSender(url, SECRET, JSON, Clock.systemUTC(), timeout);
    }

    private EventReceiver.Received deliveredOnce() throws Exception {
        EventSender.DeliveryOutcome outcome =
                sender(URI.create(receiver.url()), Duration.ofSeconds(5)).send(paidEvent());
        assertEquals(EventSender.DeliveryOutcome.ok(), outcome);
        return receiver.await(r -> true, 1, Duration.ofSeconds(5)).get(0);
    }

    @Test
    void deliveryCarriesTheEventIdTypeSequenceAndTheOrderViewWithItsSignatureHeaders() throws Exception {
        EventReceiver.Received delivery = deliveredOnce();
        JsonNode body = delivery.json();
        assertEquals("evt_WX0123456789abcdef_1", body.get("id").asText());
        assertEquals("ORDER_PAID", body.get("type").asText());
        assertEquals("WX0123456789abcdef", body.get("outTradeNo").asText());
        assertEquals(1, body.get("sequence").asInt());
        assertEquals("2026-11-23T04:00:00.123456Z", body.get("createdAt").asText());
        assertFalse(body.has("outRefundNo"));
        JsonNode order = body.get("order");
        assertEquals("PAID", order.get("status").asText());
        assertEquals(2, order.get("payStatus").asInt());
        assertEquals(2800, order.get("total").asLong());
        assertEquals("4200001", order.get("transactionId").asText());
        assertEquals("拿铁咖啡", order.get("items").get(0).get("name").asText());
        assertFalse(
                order.has("appliedNotificationIds")
                        || order.has("version")
                        || order.has("events")
                        || order.has("openid"),
                order.toString());
        assertEquals("evt_WX0123456789abcdef_1", delivery.header("Wxpayfn-Event-Id"));
        assertEquals("ORDER_PAID", delivery.header("Wxpayfn-Event-Type"));
        assertEquals("application/json; charset=utf-8", delivery.header("Content-Type"));
        assertTrue(delivery.header("Wxpayfn-Signature").matches("sha256=[0-9a-f]{64}"));
        assertTrue(Math.abs(Long.parseLong(delivery.header("Wxpayfn-Timestamp"))
                        - Instant.now().getEpochSecond())
                <= 5);
    }

    @Test
    void genuineDeliveryIsAcceptedAndEveryForgeryRejectedByBothDocumentedSnippets() throws Exception {
        Snippets.Case genuine = Snippets.Case.of(SECRET, deliveredOnce());
        long sent = Long.parseLong(genuine.headers().get("wxpayfn-timestamp"));
        byte[] tampered = new String(genuine.body(), StandardCharsets.UTF_8)
                .replace("\"total\":2800", "\"total\":1")
                .getBytes(StandardCharsets.UTF_8);
        List<Snippets.Case> forged = List.of(
                genuine.withSecret("another-shops-secret-0123456789abcdef"),
                genuine.withNow(sent + 301),
                genuine.withNow(sent - 301),
                genuine.withBody(tampered),
                genuine.withHeader("wxpayfn-timestamp", Long.toString(sent + 1)),
                genuine.withHeader("wxpayfn-timestamp", sent + ".0"),
                genuine.withHeader("wxpayfn-signature", null),
                genuine.withHeader("wxpayfn-timestamp", null),
                genuine.withHeader(
                        "wxpayfn-signature",
                        genuine.headers().get("wxpayfn-signature").toUpperCase()),
                genuine.withHeader("wxpayfn-signature", "sha256=" + "0".repeat(64)));
        assertFalse(
                new String(tampered, StandardCharsets.UTF_8).equals(new String(genuine.body(), StandardCharsets.UTF_8)),
                "the tampering changed the body");

        assertTrue(Snippets.javaAccepts(genuine));
        assertTrue(Snippets.javaAccepts(genuine.withNow(sent + 300)), "five minutes old is still fresh");
        for (Snippets.Case c : forged) {
            assertFalse(Snippets.javaAccepts(c), c.headers() + " now " + c.nowSeconds());
        }
        List<Snippets.Case> all = new java.util.ArrayList<>(List.of(genuine, genuine.withNow(sent + 300)));
        all.addAll(forged);
        List<Boolean> node = Snippets.nodeAccepts(all);
        assertEquals(all.size(), node.size());
        assertEquals(List.of(true, true), node.subList(0, 2), "node accepts the genuine delivery");
        assertTrue(node.subList(2, node.size()).stream().noneMatch(Boolean::booleanValue), "node: " + node);
    }

    @Test
    void readmeShowsBothSnippetsExactlyAsTheTestsRunThem() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        for (String snippet : Snippets.documented()) {
            assertTrue(readme.contains(snippet), "README must show verbatim:\n" + snippet);
        }
    }

    @Test
    void everyAnswerButA2xxIsAFailureNamingItAndNothingTheReceiverSaid() {
        HttpEventSender sender = sender(URI.create(receiver.url()), Duration.ofSeconds(5));
        receiver.answer(500);
        assertEquals(EventSender.DeliveryOutcome.failedWith("HTTP 500"), sender.send(paidEvent()));
        receiver.answer(302);
        assertEquals(EventSender.DeliveryOutcome.failedWith("HTTP 302"), sender.send(paidEvent()), "not followed");
        receiver.answer(204);
        assertEquals(EventSender.DeliveryOutcome.ok(), sender.send(paidEvent()));
    }

    @Test
    void receiverThatNeverAnswersCostsOneTimeoutAndOneThatIsNotThereNothingMore() throws Exception {
        receiver.hold();
        long start = System.nanoTime();
        EventSender.DeliveryOutcome outcome =
                sender(URI.create(receiver.url()), Duration.ofSeconds(1)).send(paidEvent());
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertEquals(EventSender.DeliveryOutcome.failedWith("no answer within 1 s"), outcome);
        assertTrue(took.compareTo(Duration.ofSeconds(3)) < 0, "took " + took);
        receiver.release();

        int closedPort;
        try (ServerSocket probe = new ServerSocket(0)) {
            closedPort = probe.getLocalPort();
        }
        assertEquals(
                EventSender.DeliveryOutcome.failedWith("connection refused or unreachable"),
                sender(URI.create("http://127.0.0.1:" + closedPort + "/x"), Duration.ofSeconds(1))
                        .send(paidEvent()));
    }
}
