package io.wxpayfn.function;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.funqy.Funq;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import io.wxpayfn.order.NotificationMismatchException;
import io.wxpayfn.order.NotificationVerification;
import io.wxpayfn.order.OrderService;
import io.wxpayfn.order.PaymentException;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * {@code payment-callback} and {@code refund-callback}: WeChat Pay's notifications. The signature is checked over
 * the raw bytes that arrived (never Funqy's re-serialised input). Handled or duplicate: 200 errcode 0. Anything
 * else is logged on one line (an ALERT when a verified notification contradicts the store) and thrown as
 * {@link CallbackNotHandledException}, which {@link RequestRefusals} answers 500, so WeChat Pay delivers it again.
 */
public class CallbackFunctions {

    private static final Logger LOG = Logger.getLogger(CallbackFunctions.class);
    private static final Map<String, Object> HANDLED = Map.of("errcode", 0, "errmsg", "OK");

    @Inject
    RoutingContext request;

    @Inject
    NotificationVerification verifier;

    @Inject
    OrderService orders;

    @Funq("payment-callback")
    public Map<String, Object> paymentCallback(JsonNode ignoredParsedBody) {
        return handle(
                "payment",
                () -> verifier.verifyPayment(rawBody(), this::header),
                n -> orders.applyPaymentNotification(n.id(), n.payload()));
    }

    @Funq("refund-callback")
    public Map<String, Object> refundCallback(JsonNode ignoredParsedBody) {
        return handle(
                "refund",
                () -> verifier.verifyRefund(rawBody(), this::header),
                n -> orders.applyRefundNotification(n.id(), n.payload()));
    }

    private <T> Map<String, Object> handle(String kind, Supplier<T> verify, Consumer<T> apply) {
        try {
            apply.accept(verify.get());
            return HANDLED;
        } catch (NotificationMismatchException e) {
            String errorId = Responses.newErrorId();
            LOG.errorf(
                    "ALERT %s notification contradicts the store, error id %s: %s",
                    kind, errorId, Responses.oneLine(e.getMessage()));
            throw new CallbackNotHandledException(ErrorCode.of(e), errorId);
        } catch (PaymentException e) {
            String errorId = Responses.newErrorId();
            LOG.warnf(
                    "%s notification not handled (%s), error id %s: %s",
                    kind, e.kind(), errorId, Responses.oneLine(e.getMessage()));
            throw new CallbackNotHandledException(ErrorCode.of(e), errorId);
        }
    }

    private byte[] rawBody() {
        Buffer body = request.body().buffer();
        return body == null ? new byte[0] : body.getBytes();
    }

    private String header(String name) {
        return request.request().getHeader(name);
    }
}
