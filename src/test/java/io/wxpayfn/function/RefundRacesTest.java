package io.wxpayfn.function;

import static io.wxpayfn.function.Shop.call;
import static io.wxpayfn.function.Shop.login;
import static io.wxpayfn.function.Shop.operatorCall;
import static io.wxpayfn.function.Shop.placeLatte;
import static io.wxpayfn.function.Shop.simulator;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.wxpayfn.order.Order;
import io.wxpayfn.order.OrderStore;
import io.wxpayfn.order.Refund;
import io.wxpayfn.simulator.SimRefund;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Refunds of one order racing each other over HTTP, released together by a barrier: the owner's policy (the whole
 * of a paid, unrefunded order, once) holds inside the conditional write, whatever lands first.
 */
@QuarkusTest
class RefundRacesTest {

    private static final int ROUNDS = 50;
    private static final long LATTE = 2800;
    private static final long OPERATOR_PART = 1000;
    private static final int IDENTICAL_ROUNDS = 10;

    @Inject
    OrderStore store;

    @Test
    void ownerRacingAnOperatorRefundNeverGetsMoreThanTheWholeOfAnUnrefundedOrder() throws Exception {
        String token = login("oscar-" + Shop.newKey());
        List<String[]> orders = new ArrayList<>();
        for (int i = 0; i < ROUNDS; i++) {
            String[] order = placeLatte(token);
            Shop.payAndAwaitCallback(order);
            orders.add(order);
        }
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            int ownerWon = 0;
            for (String[] order : orders) {
                CyclicBarrier barrier = new CyclicBarrier(2);
                Future<JsonPath> owner =
                        pool.submit(released(barrier, () -> call(token, "refund", Map.of("outTradeNo", order[0]))));
                Future<JsonPath> operator = pool.submit(released(
                        barrier,
                        () -> operatorCall("refund", Map.of("outTradeNo", order[0], "amount", OPERATOR_PART))));
                JsonPath ownerAnswer = owner.get();
                JsonPath operatorAnswer = operator.get();

                Order stored = store.find(order[0]).orElseThrow();
                String round =
                        order[0] + ": owner " + ownerAnswer.prettify() + " operator " + operatorAnswer.prettify();
                for (Refund refund : stored.refunds()) {
                    if ("owner".equals(refund.requestedBy())) {
                        assertEquals(LATTE, refund.amount(), "an owner refunds the whole order or nothing; " + round);
                    }
                }
                long reserved = stored.refunds().stream()
                        .filter(r -> r.status().reservesAmount())
                        .mapToLong(Refund::amount)
                        .sum();
                assertTrue(reserved <= LATTE, round);
                assertTrue(refundedAtWeChatPay(order[0]) <= LATTE, round);
                if (ownerAnswer.getInt("errcode") == 0) {
                    ownerWon++;
                    assertEquals(LATTE, ownerAnswer.getLong("data.refund.amount"), round);
                    assertEquals(42201, operatorAnswer.getInt("errcode"), "nothing remains after the owner; " + round);
                } else {
                    assertEquals(40302, ownerAnswer.getInt("errcode"), "the order is refunded in part; " + round);
                    assertEquals(0, operatorAnswer.getInt("errcode"), round);
                    assertEquals(OPERATOR_PART, operatorAnswer.getLong("data.refund.amount"), round);
                }
            }
            System.out.printf("owner won %d of %d races%n", ownerWon, ROUNDS);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void sixteenIdenticalOwnerRefundsAtOnceMakeOneRefundAndEveryCallerIsAnsweredWithIt() throws Exception {
        String token = login("olive-" + Shop.newKey());
        int callers = 16;
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        try {
            for (int round = 0; round < IDENTICAL_ROUNDS; round++) {
                String[] order = placeLatte(token);
                Shop.payAndAwaitCallback(order);
                sixteenAtOnce(pool, callers, token, order);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private void sixteenAtOnce(ExecutorService pool, int callers, String token, String[] order) throws Exception {
        CyclicBarrier barrier = new CyclicBarrier(callers);
        List<Future<JsonPath>> answers = new ArrayList<>();
        for (int i = 0; i < callers; i++) {
            answers.add(pool.submit(released(
                    barrier,
                    () -> call(token, "refund", Map.of("outTradeNo", order[0], "reason", "changed my mind")))));
        }
        Set<String> refundNumbers = new HashSet<>();
        for (Future<JsonPath> answer : answers) {
            JsonPath refund = answer.get();
            assertEquals(0, refund.getInt("errcode"), refund.prettify());
            assertEquals(LATTE, refund.getLong("data.refund.amount"));
            refundNumbers.add(refund.getString("data.refund.outRefundNo"));
        }
        assertEquals(Set.of(order[0] + "R01"), refundNumbers);
        assertEquals(1, store.find(order[0]).orElseThrow().refunds().size());
        assertEquals(
                List.of(LATTE),
                simulator().refunds().stream()
                        .filter(r -> r.outTradeNo().equals(order[0]))
                        .map(SimRefund::refund)
                        .toList());
    }

    private static long refundedAtWeChatPay(String outTradeNo) {
        return simulator().refunds().stream()
                .filter(r -> r.outTradeNo().equals(outTradeNo))
                .mapToLong(SimRefund::refund)
                .sum();
    }

    private static <T> Callable<T> released(CyclicBarrier barrier, Callable<T> call) {
        return () -> {
            barrier.await();
            return call.call();
        };
    }
}
