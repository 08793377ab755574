package io.wxpayfn.function;

import io.wxpayfn.order.ErrorCode;
import io.wxpayfn.order.PaymentException;
import org.jboss.logging.Logger;

import java.util.UUID;
import java.util.function.Supplier;

/** Runs a function body and maps every outcome to the envelope: no stack trace ever reaches a caller. */
final class Responses {

    private static final Logger LOG = Logger.getLogger(Responses.class);

    private Responses() {
    }

    static Envelope respond(Supplier<Object> body) {
        try {
            return Envelope.ok(body.get());
        } catch (PaymentException e) {
            if (e.code().retryable()) {
                LOG.warnf("%s: %s", e.code(), e.getMessage());
            }
            return Envelope.error(e.code(), e.getMessage());
        } catch (RuntimeException e) {
            String errorId = UUID.randomUUID().toString();
            LOG.errorf(e, "unexpected failure, error id %s", errorId);
            return Envelope.error(ErrorCode.INTERNAL, "internal error, id " + errorId);
        }
    }
}
