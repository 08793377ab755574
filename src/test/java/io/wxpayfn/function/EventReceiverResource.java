package io.wxpayfn.function;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.wxpayfn.events.EventReceiver;
import java.util.Map;

/**
 * The shop's service for the order-event tests: a receiver on a free port, and the functions configured to deliver to
 * it (MERCHANT_EVENTS_URL, MERCHANT_EVENTS_SECRET), on top of {@link SimulatorResource}'s environment.
 */
public class EventReceiverResource implements QuarkusTestResourceLifecycleManager {

    static final String SECRET = "order-events-secret-" + "0123456789abcdef0123";
    private static EventReceiver receiver;

    static EventReceiver receiver() {
        return receiver;
    }

    @Override
    public Map<String, String> start() {
        receiver = EventReceiver.start();
        return Map.of("MERCHANT_EVENTS_URL", receiver.url(), "MERCHANT_EVENTS_SECRET", SECRET);
    }

    @Override
    public void stop() {
        if (receiver != null) {
            receiver.close();
        }
    }
}
