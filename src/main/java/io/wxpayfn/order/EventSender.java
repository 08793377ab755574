package io.wxpayfn.order;

/** The port to the shop's own service (MERCHANT_EVENTS_URL): one bounded attempt to hand it one event. */
public interface EventSender {

    /**
     * Sends {@code event} (with the order as it carries it) once. Never throws for the receiver's failures: a refusal,
     * a timeout or an unreachable service is an outcome that is not acknowledged.
     */
    DeliveryOutcome send(OrderEvent event);

    /** What one attempt came to: acknowledged (2xx), or why not, in a few words (never the receiver's body). */
    record DeliveryOutcome(boolean acknowledged, String failure) {

        public static DeliveryOutcome ok() {
            return new DeliveryOutcome(true, null);
        }

        public static DeliveryOutcome failedWith(String failure) {
            return new DeliveryOutcome(false, failure);
        }
    }
}
