package io.wxpayfn.function;

import static io.wxpayfn.function.Shop.login;
import static io.wxpayfn.function.Shop.placeLatte;
import static io.wxpayfn.function.Shop.simulator;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.wxpayfn.order.Order;
import io.wxpayfn.order.OrderStatus;
import io.wxpayfn.order.OrderStore;
import io.wxpayfn.simulator.Delivery;
import io.wxpayfn.simulator.NotificationFault;
import io.wxpayfn.simulator.SigningKey;
import jakarta.inject.Inject;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A merchant switching from the platform certificate to the WeChat Pay public key (WECHATPAY_VERIFY_WITH=both, as
 * the functions-in-partner-mode execution configures them): one running function accepts answers and
 * notifications signed either way, and refuses one signed under a serial that is neither.
 */
@QuarkusTest
class PublicKeySwitchTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Inject
    OrderStore store;

    @BeforeAll
    static void partnerModeOnly() {
        SimulatorResource.requirePartnerMode(PublicKeySwitchTest.class);
    }

    @AfterEach
    void signAsRequestedAgain() {
        simulator().signWith(SigningKey.AS_REQUESTED);
    }

    @Test
    void answersAndNotificationsSignedWithTheCertificateAndWithThePublicKeyAreBothAccepted() {
        String token = login("wendy");
        simulator().signWith(SigningKey.PLATFORM_CERTIFICATE);
        String[] byCertificate = placeLatte(token);
        Shop.payAndAwaitCallback(byCertificate);

        simulator().signWith(SigningKey.PUBLIC_KEY);
        String[] byPublicKey = placeLatte(token);
        Shop.payAndAwaitCallback(byPublicKey);

        assertEquals(
                OrderStatus.PAID, store.find(byCertificate[0]).orElseThrow().status());
        assertEquals(OrderStatus.PAID, store.find(byPublicKey[0]).orElseThrow().status());
        assertEquals(simulator().platformCertificateSerial(), acknowledgedSerial(byCertificate[0]));
        assertEquals(simulator().merchant().platformPublicKeyId(), acknowledgedSerial(byPublicKey[0]));
    }

    private static String acknowledgedSerial(String outTradeNo) {
        return simulator()
                .awaitAcknowledged(outTradeNo, "TRANSACTION.SUCCESS", WAIT)
                .serial();
    }

    @Test
    void aNotificationSignedUnderAnUnknownSerialIsRefusedAndChangesNothing() {
        String[] order = placeLatte(login("xavier"));
        Order before = store.find(order[0]).orElseThrow();
        simulator()
                .faults()
                .onNextNotification(order[0], NotificationFault.unknownSerial())
                .holdRetries(order[0]);
        simulator().pay(order[1]);

        Delivery refused = simulator()
                .awaitDeliveries(d -> d.concerns(order[0]) && d.kind() == Delivery.Kind.UNKNOWN_SERIAL, 1, WAIT)
                .get(0);
        assertEquals(500, refused.status());
        simulator().awaitNoDeliveriesInFlight(order[0], WAIT);
        assertEquals(before, store.find(order[0]).orElseThrow());

        simulator().releaseHeldNotifications(order[0]);
        simulator().awaitAcknowledged(order[0], "TRANSACTION.SUCCESS", WAIT);
        assertEquals(OrderStatus.PAID, store.find(order[0]).orElseThrow().status());
    }
}
