package io.wxpayfn.wechat;

import com.google.gson.JsonParseException;
import com.wechat.pay.java.core.exception.DecryptionException;
import com.wechat.pay.java.core.exception.HttpException;
import com.wechat.pay.java.core.exception.MalformedMessageException;
import com.wechat.pay.java.core.exception.ServiceException;
import com.wechat.pay.java.core.exception.ValidationException;
import io.wxpayfn.order.WeChatPayRejectedException;
import io.wxpayfn.order.WeChatPayRules;
import io.wxpayfn.order.WeChatPayUnavailableException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The one translation of wechatpay-java failures into the domain's two: unavailable (retry the same request)
 * and rejected (WeChat Pay said no). SDK exception messages carry request headers and bodies, so they are never
 * copied into ours nor kept as causes; only a network cause is kept. The codes it branches on are
 * {@link WeChatPayRules}'.
 */
final class WeChatPayErrors {

    private WeChatPayErrors() {}

    /** Runs one SDK call, translating its failures. {@code operation} names it in messages (no secrets). */
    static <T> T call(String operation, Supplier<T> sdkCall) {
        try {
            return sdkCall.get();
        } catch (RuntimeException e) {
            throw translate(operation, e);
        }
    }

    /** Like {@link #call} but empty when WeChat Pay answers 404 with a "no such order/refund" code. */
    static <T> Optional<T> callOrEmptyWhenMissing(String operation, Supplier<T> sdkCall) {
        try {
            return Optional.of(sdkCall.get());
        } catch (ServiceException e) {
            if (e.getHttpStatusCode() == WeChatPayRules.NOT_FOUND_STATUS
                    && isOneOf(e.getErrorCode(), WeChatPayRules.NOT_FOUND_CODES)) {
                return Optional.empty();
            }
            throw translate(operation, e);
        } catch (RuntimeException e) {
            throw translate(operation, e);
        }
    }

    static RuntimeException translate(String operation, RuntimeException failure) {
        if (failure instanceof ServiceException e) {
            return fromStatus(operation, e);
        }
        if (failure instanceof HttpException e) {
            Throwable network = e.getCause();
            String what = network == null ? "no answer" : network.getClass().getSimpleName();
            return new WeChatPayUnavailableException(
                    operation + " failed: no answer from WeChat Pay (" + what + ")",
                    network instanceof IOException ? network : null);
        }
        if (failure instanceof UncheckedIOException e) {
            return new WeChatPayUnavailableException(
                    operation + " failed: the answer from WeChat Pay broke off ("
                            + e.getCause().getClass().getSimpleName() + ")",
                    e.getCause());
        }
        if (failure instanceof ValidationException || failure instanceof IllegalArgumentException) {
            // The SDK throws IllegalArgumentException for a stale or unreadable response timestamp or signature.
            return new WeChatPayUnavailableException(
                    operation + " failed: the answer from WeChat Pay failed signature verification and was not trusted",
                    null);
        }
        if (failure instanceof MalformedMessageException
                || failure instanceof DecryptionException
                || failure instanceof JsonParseException
                || failure instanceof DateTimeParseException) {
            return new WeChatPayUnavailableException(
                    operation
                            + " failed: the answer from WeChat Pay failed verification (malformed) and was not trusted",
                    null);
        }
        return failure;
    }

    private static RuntimeException fromStatus(String operation, ServiceException e) {
        int status = e.getHttpStatusCode();
        String code = e.getErrorCode();
        if (status >= 500
                || status == WeChatPayRules.FREQUENCY_LIMITED_STATUS
                || isOneOf(code, WeChatPayRules.RETRYABLE_CODES)) {
            return new WeChatPayUnavailableException(
                    operation + " failed: WeChat Pay answered HTTP " + status + (code == null ? "" : " " + code), null);
        }
        String message = e.getErrorMessage() == null ? "HTTP " + status : e.getErrorMessage();
        return new WeChatPayRejectedException(code == null ? "HTTP_" + status : code, operation + ": " + message);
    }

    /** Set.of(...).contains(null) throws, and an error answer may have no code. */
    private static boolean isOneOf(String code, Set<String> codes) {
        return code != null && codes.contains(code);
    }
}
