package io.wxpayfn.function;

import io.wxpayfn.order.PaymentException;
import java.util.UUID;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Runs a function body and maps every outcome to the envelope: no stack trace ever reaches a caller. A failure
 * (5xxxx) answers its errcode and an error id; what went wrong inside is logged once, on one line with that id.
 */
final class Responses {

    private static final Logger LOG = Logger.getLogger(Responses.class);

    private Responses() {}

    static Envelope respond(Supplier<Object> body) {
        try {
            return Envelope.ok(body.get());
        } catch (PaymentException e) {
            ErrorCode code = ErrorCode.of(e);
            if (!code.isFailure()) {
                return Envelope.error(code, e.getMessage());
            }
            String errorId = newErrorId();
            LOG.warnf("%s, error id %s: %s", code, errorId, oneLine(e.getMessage()));
            return Envelope.error(code, callerMessage(e) + " (error id " + errorId + ")");
        } catch (RuntimeException e) {
            String errorId = newErrorId();
            LOG.errorf(e, "unexpected failure, error id %s", errorId);
            return Envelope.error(ErrorCode.INTERNAL, "internal error (error id " + errorId + ")");
        }
    }

    /**
     * What a caller may read of a failure. The store's messages carry its host, port and driver text, so callers get
     * a fixed sentence. WeChat Pay's are ours (operation, HTTP status, WeChat's code, an exception's class name) or,
     * for a rejection, WeChat Pay's own words about the request, and are kept: they tell the caller what to do.
     */
    private static String callerMessage(PaymentException e) {
        return e.kind() == PaymentException.Kind.STORE_UNAVAILABLE
                ? "order store unavailable, retry the same request"
                : e.getMessage();
    }

    static String newErrorId() {
        return UUID.randomUUID().toString();
    }

    /** A message fit for one log line, whatever a driver or dependency put in it. */
    static String oneLine(String message) {
        return message == null ? "" : message.replaceAll("\\R", " ");
    }
}
