package io.wxpayfn.order;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Whom an order is paid to is decided on the server, from the catalogue, and checked against the configuration. */
class PartnerPayeeTest {

    private static final String SP_APPID = "wxd678efh567hg6787";
    private static final SubMerchant SHOP_A = new SubMerchant("1900000201", "wx5a1b2c3d4e5f6a7b");
    private static final SubMerchant SHOP_B = new SubMerchant("1900000202", null);
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-23T04:00:00Z"), ZoneOffset.UTC);

    private final InMemoryOrderStore store = new InMemoryOrderStore();
    private final ScriptedGateway gateway = new ScriptedGateway();

    PartnerPayeeTest() {
        store.saveProducts(List.of(
                new Product("latte", "Latte", 2800, true, SHOP_A.subMchid()),
                new Product("tea", "Tea", 1800, true, SHOP_B.subMchid()),
                new Product("cake", "Cake", 3500, true, "1900000999"),
                new Product("water", "Water", 300, true)));
    }

    private OrderService service(List<SubMerchant> subMerchants) {
        return new OrderService(
                store,
                gateway,
                new OrderPolicy(SP_APPID, "1900000109", Duration.ofMinutes(30), Duration.ofDays(7), subMerchants),
                CLOCK);
    }

    private static List<LineRequest> lines(String... products) {
        return java.util.Arrays.stream(products).map(p -> new LineRequest(p, 1)).toList();
    }

    @Test
    void anOrderIsPaidToTheSubMerchantItsProductsBelongTo() {
        OrderService service = service(List.of(SHOP_A, SHOP_B));
        Order ofA = service.placeOrder(SHOP_A.subAppid(), "openid-alice", lines("latte"), "key-000001")
                .order();
        assertEquals(SHOP_A, ofA.subMerchant());
        Order ofB = service.placeOrder(SP_APPID, "openid-bob", lines("tea"), "key-000002")
                .order();
        assertEquals(SHOP_B, ofB.subMerchant());
        assertEquals(List.of("prepay " + ofA.outTradeNo(), "prepay " + ofB.outTradeNo()), gateway.calls("prepay"));
    }

    @Test
    void anOrderMixingSubMerchantsIsRefusedNamingItemsAndNothingIsStoredOrPrepaid() {
        InvalidRequestException e = assertThrows(
                InvalidRequestException.class,
                () -> service(List.of(SHOP_A, SHOP_B))
                        .placeOrder(SHOP_A.subAppid(), "openid-alice", lines("latte", "tea"), "key-000003"));
        assertEquals("items", e.field());
        assertTrue(gateway.calls("prepay").isEmpty());
        assertTrue(store.snapshot().isEmpty());
    }

    @Test
    void aProductOfAnUnconfiguredSubMerchantIsNotForSaleHere() {
        InvalidRequestException e = assertThrows(
                InvalidRequestException.class,
                () -> service(List.of(SHOP_A, SHOP_B))
                        .placeOrder(SP_APPID, "openid-alice", lines("cake"), "key-000004"));
        assertEquals("items[0].productId", e.field());
    }

    @Test
    void aProductNamingNoSubMerchantBelongsToTheOnlyOneOrIsNotForSale() {
        assertEquals(
                SHOP_B,
                service(List.of(SHOP_B))
                        .placeOrder(SP_APPID, "openid-carol", lines("water"), "key-000005")
                        .order()
                        .subMerchant());
        assertEquals(
                "items[0].productId",
                assertThrows(
                                InvalidRequestException.class,
                                () -> service(List.of(SHOP_A, SHOP_B))
                                        .placeOrder(SP_APPID, "openid-carol", lines("water"), "key-000006"))
                        .field());
    }

    @Test
    void aSubMerchantsOrderFromAnotherMiniProgramIsRefused() {
        InvalidRequestException e = assertThrows(
                InvalidRequestException.class,
                () -> service(List.of(SHOP_A, SHOP_B))
                        .placeOrder(SP_APPID, "openid-alice", lines("latte"), "key-000007"));
        assertEquals("items", e.field());
        assertTrue(e.getMessage().contains(SHOP_A.subAppid()), e.getMessage());
    }

    @Test
    void aDirectMerchantSellsNoSubMerchantsProducts() {
        OrderService direct = service(List.of());
        assertNull(direct.placeOrder(SP_APPID, "openid-dave", lines("water"), "key-000008")
                .order()
                .subMerchant());
        assertEquals(
                "items[0].productId",
                assertThrows(
                                InvalidRequestException.class,
                                () -> direct.placeOrder(SP_APPID, "openid-dave", lines("latte"), "key-000009"))
                        .field());
    }
}
