package io.wxpayfn.wechat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wxpayfn.order.Order;
import io.wxpayfn.order.OrderItem;
import io.wxpayfn.order.WeChatPayRejectedException;
import io.wxpayfn.simulator.MerchantCredentials;
import io.wxpayfn.simulator.SimulatorOptions;
import io.wxpayfn.simulator.WeChatPaySimulator;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A merchant without a WeChat Pay public key: platform certificates are downloaded through the host rewrite. */
class PlatformCertificateModeTest {

    private static WeChatPaySimulator sim;

    @BeforeAll
    static void start() {
        sim = WeChatPaySimulator.start(SimulatorOptions.defaults().withMchid("1900000402"));
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    private static WeChatPaySettings certificateModeSettings(String mchid) {
        MerchantCredentials m = sim.merchant();
        return TestSettings.oneKeyMode(
                mchid,
                m.merchantSerialNumber(),
                m.merchantPrivateKeyPem(),
                m.apiV3Key(),
                null,
                null,
                "https://shop.example/pay",
                "https://shop.example/refund",
                sim.baseUrl());
    }

    @Test
    void answersAreVerifiedWithTheDownloadedPlatformCertificate() {
        WeChatPayGateway gateway = new WeChatPayGateway(WeChatPayClients.create(certificateModeSettings("1900000402")));
        Instant now = Instant.now();
        Order order = Order.unpaid(
                "CERTMODE000001",
                sim.merchant().appid(),
                "1900000402",
                sim.openidOf("bob"),
                "k",
                "Tea",
                List.of(new OrderItem("tea", "Tea", 250, 1)),
                now.plus(Duration.ofMinutes(30)),
                now);

        String prepayId = gateway.prepay(order).prepayId();
        sim.pay(prepayId);

        assertEquals("SUCCESS", gateway.queryPayment(order).orElseThrow().tradeState());
    }

    @Test
    void aRefusedCertificateDownloadFailsAtStartWithoutLeakingKeys() {
        // The simulator refuses a request signed for another merchant id, so the certificate download fails.
        WeChatPayRejectedException e = assertThrows(
                WeChatPayRejectedException.class, () -> WeChatPayClients.create(certificateModeSettings("1900000499")));

        assertTrue(e.getMessage().startsWith("WeChat Pay refused"), e.getMessage());
        assertFalse(e.getMessage().contains(sim.merchant().apiV3Key()), e.getMessage());
        assertFalse(e.getMessage().contains("PRIVATE KEY"), e.getMessage());
    }
}
