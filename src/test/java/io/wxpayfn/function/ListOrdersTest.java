package io.wxpayfn.function;

import static io.restassured.RestAssured.given;
import static io.wxpayfn.function.Shop.assertOk;
import static io.wxpayfn.function.Shop.call;
import static io.wxpayfn.function.Shop.login;
import static io.wxpayfn.function.Shop.operatorCall;
import static io.wxpayfn.function.Shop.payAndAwaitCallback;
import static io.wxpayfn.function.Shop.placeLatte;
import static io.wxpayfn.function.Shop.queryOrder;
import static io.wxpayfn.function.Shop.simulator;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.wxpayfn.simulator.Delivery;
import io.wxpayfn.simulator.NotificationFault;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** listOrders over HTTP: whose orders, in which order, page by page, filtered, bounded, and only as stored. */
@QuarkusTest
class ListOrdersTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    /** A user name of this test run only, so orders other tests place never show up in a list. */
    private static String newUser(String name) {
        return "list-" + name + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static JsonPath list(String token, Map<String, ?> body) {
        return call(token, "listOrders", body);
    }

    private static JsonPath operatorList(Map<String, ?> body) {
        return operatorCall("listOrders", body);
    }

    private static List<String> listed(JsonPath page) {
        assertOk(page);
        return page.getList("data.orders.outTradeNo");
    }

    private static void assertRefused(JsonPath answer, int errcode, String field) {
        assertEquals(errcode, answer.getInt("errcode"), answer.prettify());
        assertTrue(answer.getString("errmsg").startsWith(field + ":"), answer.getString("errmsg"));
        assertFalse(answer.prettify().contains("Exception"), "no stack trace or exception name");
    }

    /** An order of one latte as unifiedOrder answered it. */
    private record Placed(String outTradeNo, String prepayId, String createdAt) {}

    private static Placed place(String token) {
        JsonPath placed = Shop.unifiedOrder(token, Shop.items("coffee-latte", 1), Shop.newKey());
        assertOk(placed);
        return new Placed(
                placed.getString("data.order.outTradeNo"),
                placed.getString("data.payment.package").substring("prepay_id=".length()),
                placed.getString("data.order.createdAt"));
    }

    @Test
    void ownerSeesOnlyTheirOwnOrdersNewestFirst() {
        String alice = login(newUser("alice"));
        String bob = login(newUser("bob"));
        List<String> alices = new ArrayList<>();
        List<String> bobs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            alices.add(0, placeLatte(alice)[0]);
            if (i < 2) {
                bobs.add(0, placeLatte(bob)[0]);
            }
        }

        JsonPath page = list(alice, Map.of());
        assertEquals(alices, listed(page));
        assertTrue(page.getMap("data").containsKey("nextCursor"), "nextCursor is present, null on the last page");
        assertNull(page.get("data.nextCursor"));
        assertEquals(bobs, listed(list(bob, Map.of())));
        assertEquals(List.of(), listed(list(login(newUser("carl")), Map.of())));
    }

    @Test
    void cursorIsRefusedNamingCursorWhenAnotherCallerOrFilterUsesItOrItIsForged() {
        String dan = login(newUser("dan"));
        String eve = login(newUser("eve"));
        List<String> dans = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            dans.add(0, placeLatte(dan)[0]);
        }
        String evesOrder = placeLatte(eve)[0];

        JsonPath first = list(dan, Map.of("limit", 2));
        assertEquals(dans.subList(0, 2), listed(first));
        String cursor = first.getString("data.nextCursor");
        assertNotNull(cursor);
        JsonPath second = list(dan, Map.of("limit", 2, "cursor", cursor));
        assertEquals(dans.subList(2, 3), listed(second));
        assertNull(second.get("data.nextCursor"));

        assertRefused(list(eve, Map.of("cursor", cursor)), 40001, "cursor");
        assertRefused(list(dan, Map.of("cursor", cursor, "payStatus", 1)), 40001, "cursor");
        assertRefused(operatorList(Map.of("cursor", cursor)), 40001, "cursor");

        // A cursor made by hand to start just before eve's order, with dan's signature: refused, not followed.
        Instant evesCreatedAt = Instant.parse(queryOrder(eve, evesOrder).getString("data.createdAt"));
        String position = Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString((evesCreatedAt.getEpochSecond() + "." + (evesCreatedAt.getNano() + 1) + "." + evesOrder)
                        .getBytes(StandardCharsets.UTF_8));
        String signature = cursor.substring(cursor.indexOf('.'));
        assertRefused(list(dan, Map.of("cursor", position + signature)), 40001, "cursor");
        char last = cursor.charAt(cursor.indexOf('.') - 1);
        String tampered = cursor.substring(0, cursor.indexOf('.') - 1) + (last == 'A' ? 'B' : 'A') + signature;
        assertRefused(list(dan, Map.of("cursor", tampered)), 40001, "cursor");
        for (Object garbage : List.of("not-a-cursor", "", "x".repeat(300), 12, List.of(cursor))) {
            assertRefused(list(dan, Map.of("cursor", garbage)), 40001, "cursor");
        }
    }

    @Test
    void pagingNeitherSkipsNorRepeatsWhileNewOrdersArrive() throws Exception {
        String frank = login(newUser("frank"));
        List<String> earlier = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            earlier.add(0, placeLatte(frank)[0]);
        }
        // One shopper keeps ordering while the list is read: each call's start is noted, so an order placed after
        // the first page was answered is known by name.
        Map<String, Long> placedAt = new ConcurrentHashMap<>();
        AtomicInteger placed = new AtomicInteger();
        AtomicBoolean reading = new AtomicBoolean(true);
        ExecutorService shopper = Executors.newSingleThreadExecutor();
        Future<?> shopping = shopper.submit(() -> {
            while (reading.get() && placed.get() < 200) {
                long started = System.nanoTime();
                placedAt.put(placeLatte(frank)[0], started);
                placed.incrementAndGet();
            }
        });
        try {
            List<Map<String, Object>> pages = new ArrayList<>();
            long firstPageAnswered = 0;
            String cursor = null;
            do {
                int before = placed.get();
                long deadline = System.nanoTime() + WAIT.toNanos();
                while (placed.get() == before) {
                    assertTrue(System.nanoTime() < deadline, "the shopper stopped placing orders");
                    Thread.sleep(5);
                }
                Map<String, Object> body = new HashMap<>(Map.of("limit", 2));
                if (cursor != null) {
                    body.put("cursor", cursor);
                }
                JsonPath page = list(frank, body);
                assertOk(page);
                if (firstPageAnswered == 0) {
                    firstPageAnswered = System.nanoTime();
                }
                List<Map<String, Object>> orders = page.getList("data.orders");
                assertTrue(orders.size() <= 2, "page of " + orders.size());
                pages.addAll(orders);
                cursor = page.getString("data.nextCursor");
            } while (cursor != null);
            reading.set(false);
            shopping.get();

            List<String> keys =
                    pages.stream().map(o -> (String) o.get("outTradeNo")).toList();
            assertEquals(keys.size(), new HashSet<>(keys).size(), "an order was listed twice: " + keys);
            assertEquals(
                    earlier, keys.stream().filter(earlier::contains).toList(), "every earlier order, once, in order");
            for (String key : keys) {
                if (placedAt.containsKey(key)) {
                    assertTrue(placedAt.get(key) < firstPageAnswered, key + " was placed after the first page");
                }
            }
            for (int i = 1; i < pages.size(); i++) {
                Instant newer = Instant.parse((String) pages.get(i - 1).get("createdAt"));
                Instant older = Instant.parse((String) pages.get(i).get("createdAt"));
                assertTrue(
                        newer.isAfter(older)
                                || newer.equals(older) && keys.get(i - 1).compareTo(keys.get(i)) > 0,
                        "not newest first at " + i + ": " + keys);
            }
            assertTrue(placed.get() >= 4, "orders arrived during the listing: " + placed.get());
        } finally {
            reading.set(false);
            shopper.shutdownNow();
        }
    }

    @Test
    void payStatusAndStatusFiltersSelectExactlyTheirOrders() {
        String gina = login(newUser("gina"));
        String unpaid = placeLatte(gina)[0];
        String[] paid = placeLatte(gina);
        payAndAwaitCallback(paid);
        String[] partly = placeLatte(gina);
        payAndAwaitCallback(partly);
        JsonPath part = operatorCall("refund", Map.of("outTradeNo", partly[0], "amount", 1000));
        assertOk(part);
        simulator().awaitAcknowledged(part.getString("data.refund.outRefundNo"), "REFUND.SUCCESS", WAIT);
        String[] refunding = placeLatte(gina);
        payAndAwaitCallback(refunding);
        simulator().faults().holdRefunds(refunding[0] + "R01");
        assertOk(call(gina, "refund", Map.of("outTradeNo", refunding[0])));
        String[] refunded = placeLatte(gina);
        payAndAwaitCallback(refunded);
        assertOk(call(gina, "refund", Map.of("outTradeNo", refunded[0])));
        simulator().awaitAcknowledged(refunded[0] + "R01", "REFUND.SUCCESS", WAIT);
        String closed = placeLatte(gina)[0];
        assertOk(call(gina, "closeOrder", Map.of("outTradeNo", closed)));

        assertEquals(
                List.of(closed, refunded[0], refunding[0], partly[0], paid[0], unpaid), listed(list(gina, Map.of())));
        assertEquals(List.of(unpaid), listed(list(gina, Map.of("payStatus", 1))));
        assertEquals(List.of(partly[0], paid[0]), listed(list(gina, Map.of("payStatus", 2))));
        assertEquals(List.of(refunding[0]), listed(list(gina, Map.of("payStatus", 3))));
        assertEquals(List.of(refunded[0]), listed(list(gina, Map.of("payStatus", 4))));
        assertEquals(List.of(paid[0]), listed(list(gina, Map.of("status", "PAID"))));
        assertEquals(List.of(partly[0]), listed(list(gina, Map.of("status", "PARTIALLY_REFUNDED"))));
        assertEquals(List.of(closed), listed(list(gina, Map.of("status", "CLOSED"))));
        assertEquals(List.of(), listed(list(gina, Map.of("status", "PAYERROR"))));

        JsonPath paidTab = list(gina, Map.of("payStatus", 2, "limit", 1));
        assertEquals(List.of(partly[0]), listed(paidTab));
        assertEquals(2, paidTab.getInt("data.orders[0].payStatus"));
        assertEquals("PARTIALLY_REFUNDED", paidTab.getString("data.orders[0].status"));
        JsonPath paidTabNext =
                list(gina, Map.of("payStatus", 2, "limit", 1, "cursor", paidTab.getString("data.nextCursor")));
        assertEquals(List.of(paid[0]), listed(paidTabNext));
        assertNull(paidTabNext.get("data.nextCursor"));

        // Each entry is the order view queryOrder answers.
        assertEquals(
                queryOrder(gina, closed).getMap("data"),
                list(gina, Map.of("status", "CLOSED")).getMap("data.orders[0]"));
        assertEquals(
                queryOrder(gina, refunded[0]).getMap("data"),
                list(gina, Map.of("payStatus", 4)).getMap("data.orders[0]"));
    }

    @Test
    void pageSizeDefaultsToTwentyAllowsFiftyAndRefusesAnythingElse() {
        String hal = login(newUser("hal"));
        List<String> orders = new ArrayList<>();
        for (int i = 0; i < 21; i++) {
            orders.add(0, placeLatte(hal)[0]);
        }

        JsonPath first = list(hal, Map.of());
        assertEquals(orders.subList(0, 20), listed(first));
        JsonPath rest = list(hal, Map.of("cursor", first.getString("data.nextCursor")));
        assertEquals(orders.subList(20, 21), listed(rest));
        assertNull(rest.get("data.nextCursor"));
        assertEquals(orders, listed(list(hal, Map.of("limit", 50))));
        assertEquals(orders.subList(0, 1), listed(list(hal, Map.of("limit", 1))));
        for (Object limit : List.of(0, 51, -1, 1000, "20", 2.5, true)) {
            assertRefused(list(hal, Map.of("limit", limit)), 40001, "limit");
        }
    }

    @Test
    void operatorListsAnyOwnersOrdersByOwnerStatusAndCreationTime() {
        String ivyName = newUser("ivy");
        String ivy = login(ivyName);
        String jon = login(newUser("jon"));
        List<Placed> placed = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            placed.add(place(i % 2 == 0 ? ivy : jon));
        }
        List<String> all = new ArrayList<>();
        placed.forEach(o -> all.add(0, o.outTradeNo()));
        payAndAwaitCallback(
                new String[] {placed.get(3).outTradeNo(), placed.get(3).prepayId()});
        String from = placed.get(0).createdAt();
        String to = Instant.parse(placed.get(4).createdAt()).plusNanos(1).toString();
        String fromSecond = placed.get(1).createdAt();
        String toFourth = placed.get(3).createdAt();
        String ivysOpenid = simulator().openidOf(ivyName);

        assertEquals(all, listed(operatorList(Map.of("createdFrom", from, "createdTo", to))));
        assertEquals(
                List.of(placed.get(2).outTradeNo(), placed.get(1).outTradeNo()),
                listed(operatorList(Map.of("createdFrom", fromSecond, "createdTo", toFourth))),
                "createdFrom is inclusive, createdTo exclusive");
        assertEquals(
                List.of(placed.get(3).outTradeNo()),
                listed(operatorList(Map.of("createdFrom", from, "createdTo", to, "payStatus", 2))));
        assertEquals(
                List.of(
                        placed.get(4).outTradeNo(),
                        placed.get(2).outTradeNo(),
                        placed.get(0).outTradeNo()),
                listed(operatorList(Map.of("openid", ivysOpenid))));
        assertEquals(
                List.of(placed.get(4).outTradeNo(), placed.get(2).outTradeNo()),
                listed(operatorList(Map.of("openid", ivysOpenid, "createdFrom", fromSecond, "status", "NOTPAY"))));
        // The same instant written with an offset selects the same orders.
        String fromInBeijing =
                Instant.parse(fromSecond).atOffset(ZoneOffset.ofHours(8)).toString();
        assertEquals(all.subList(0, 4), listed(operatorList(Map.of("createdFrom", fromInBeijing, "createdTo", to))));

        List<String> paged = new ArrayList<>();
        String cursor = null;
        do {
            Map<String, Object> body = new HashMap<>(Map.of("createdFrom", from, "createdTo", to, "limit", 2));
            if (cursor != null) {
                body.put("cursor", cursor);
            }
            JsonPath page = operatorList(body);
            paged.addAll(listed(page));
            cursor = page.getString("data.nextCursor");
        } while (cursor != null);
        assertEquals(all, paged);
    }

    @Test
    void usersCannotUseOperatorFiltersAndUnknownCallersAreRefused() {
        String kay = login(newUser("kay"));
        assertRefused(list(kay, Map.of("openid", "ozDJ-GzISMFldKlPNfEeGLtqTrUD")), 40301, "openid");
        assertRefused(list(kay, Map.of("createdFrom", "2026-01-01T00:00:00Z")), 40301, "createdFrom");
        assertRefused(list(kay, Map.of("createdTo", "2026-01-01T00:00:00Z")), 40301, "createdTo");
        assertEquals(40101, list(null, Map.of()).getInt("errcode"));
        assertEquals(40101, list("forged.token", Map.of()).getInt("errcode"));
        JsonPath wrongKey = given().contentType("application/json")
                .header("X-Operator-Key", "guess-guess-guess-guess")
                .body(Map.of())
                .post("/listOrders")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertEquals(40301, wrongKey.getInt("errcode"));
    }

    @Test
    void malformedFiltersAreRefusedNamingTheField() {
        String lea = login(newUser("lea"));
        Map<String, List<Map<String, Object>>> cases = Map.of(
                "payStatus",
                        List.of(
                                Map.of("payStatus", 0),
                                Map.of("payStatus", 5),
                                Map.of("payStatus", "2"),
                                Map.of("payStatus", 2.5)),
                "status",
                        List.of(
                                Map.of("status", "paid"),
                                Map.of("status", "SHIPPED"),
                                Map.of("status", 2),
                                Map.of("status", "PAID", "payStatus", 2)),
                "pageSize", List.of(Map.of("pageSize", 10)),
                "state", List.of(Map.of("state", "PAID")));
        for (Map.Entry<String, List<Map<String, Object>>> field : cases.entrySet()) {
            for (Map<String, Object> body : field.getValue()) {
                assertRefused(list(lea, body), 40001, field.getKey());
            }
        }
        assertRefused(operatorList(Map.of("createdFrom", "yesterday")), 40001, "createdFrom");
        assertRefused(operatorList(Map.of("createdFrom", "2026-11-22T08:00:00")), 40001, "createdFrom");
        assertRefused(operatorList(Map.of("createdTo", "2026-02-30T08:00:00Z")), 40001, "createdTo");
        assertRefused(
                operatorList(Map.of("createdFrom", "2026-11-22T08:00:00Z", "createdTo", "2026-11-22T07:00:00Z")),
                40001,
                "createdTo");
        assertRefused(operatorList(Map.of("openid", "not an openid")), 40001, "openid");
        assertRefused(call(lea, "listOrders", List.of()), 40001, "body");
    }

    @Test
    void listAnswersTheStoredStateWithoutAskingWeChatPay() {
        String max = login(newUser("max"));
        String[] order = placeLatte(max);
        simulator().faults().onNextNotification(order[0], NotificationFault.drop());
        simulator().pay(order[1]);
        simulator().awaitDeliveries(d -> d.concerns(order[0]) && d.kind() == Delivery.Kind.DROPPED, 1, WAIT);

        assertEquals("NOTPAY", list(max, Map.of()).getString("data.orders[0].status"));
        assertEquals(
                "SUCCESS",
                simulator().transaction(order[0]).orElseThrow().state().name());
        // queryOrder asks WeChat Pay and repairs the order; the list then shows what is stored now.
        assertEquals("PAID", queryOrder(max, order[0]).getString("data.status"));
        assertEquals("PAID", list(max, Map.of()).getString("data.orders[0].status"));
    }
}
