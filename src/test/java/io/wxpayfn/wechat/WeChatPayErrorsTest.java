package io.wxpayfn.wechat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.wechat.pay.java.core.exception.HttpException;
import com.wechat.pay.java.core.exception.MalformedMessageException;
import com.wechat.pay.java.core.exception.ServiceException;
import com.wechat.pay.java.core.exception.ValidationException;
import com.wechat.pay.java.core.http.HttpMethod;
import com.wechat.pay.java.core.http.HttpRequest;
import io.wxpayfn.order.WeChatPayRejectedException;
import io.wxpayfn.order.WeChatPayUnavailableException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WeChatPayErrorsTest {

    private static final HttpRequest REQUEST = new HttpRequest.Builder()
            .httpMethod(HttpMethod.GET)
            .url("https://api.mch.weixin.qq.com/v3/pay/transactions/out-trade-no/T1?mchid=1900000001")
            .addHeader("Authorization", "WECHATPAY2-SHA256-RSA2048 signature=\"SECRET-LOOKING\"")
            .build();

    private static ServiceException answered(int status, String code) {
        return new ServiceException(REQUEST, status, "{\"code\":\"" + code + "\",\"message\":\"said " + code + "\"}");
    }

    private static RuntimeException translate(RuntimeException failure) {
        return WeChatPayErrors.translate("query of payment T1", failure);
    }

    @ParameterizedTest
    @CsvSource({
        "500,SYSTEM_ERROR",
        "502,BAD_GATEWAY",
        "503,SERVICE_UNAVAILABLE",
        "429,FREQUENCY_LIMITED",
        "403,FREQUENCY_LIMITED",
        "400,SYSTEM_ERROR",
        "403,BANKERROR"
    })
    void serverFailuresThrottlingAndRetryableCodesAreUnavailable(int status, String code) {
        RuntimeException mapped = translate(answered(status, code));

        WeChatPayUnavailableException e = assertInstanceOf(WeChatPayUnavailableException.class, mapped);
        assertTrue(e.getMessage().contains(String.valueOf(status)), e.getMessage());
        assertNull(e.getCause(), "SDK exceptions carry request headers and are not kept");
    }

    @ParameterizedTest
    @CsvSource({"400,PARAM_ERROR", "401,SIGN_ERROR", "403,ORDERPAID", "403,NOT_ENOUGH", "404,ORDER_NOT_EXIST"})
    void otherClientErrorsAreRejectedWithWeChatsCode(int status, String code) {
        WeChatPayRejectedException e =
                assertInstanceOf(WeChatPayRejectedException.class, translate(answered(status, code)));

        assertEquals(code, e.wechatCode());
        assertTrue(e.getMessage().contains("said " + code), e.getMessage());
        assertFalse(e.getMessage().contains("SECRET-LOOKING"));
    }

    @Test
    void aClientErrorWithoutABodyIsRejectedWithItsStatus() {
        WeChatPayRejectedException e =
                assertInstanceOf(WeChatPayRejectedException.class, translate(new ServiceException(REQUEST, 403, "")));

        assertEquals("HTTP_403", e.wechatCode());
    }

    @Test
    void timeoutsAndRefusedConnectionsAreUnavailableAndKeepTheNetworkCause() {
        SocketTimeoutException timeout = new SocketTimeoutException("timeout");
        WeChatPayUnavailableException e =
                assertInstanceOf(WeChatPayUnavailableException.class, translate(new HttpException(REQUEST, timeout)));
        assertSame(timeout, e.getCause());
        assertTrue(e.getMessage().contains("SocketTimeoutException"), e.getMessage());

        assertInstanceOf(
                WeChatPayUnavailableException.class,
                translate(new HttpException(REQUEST, new ConnectException("refused"))));
    }

    @Test
    void anAnswerWithABadSignatureIsUnavailableAndNeverTrusted() {
        WeChatPayUnavailableException e = assertInstanceOf(
                WeChatPayUnavailableException.class,
                translate(new ValidationException("Validate response failed, body {\"trade_state\":\"SUCCESS\"}")));

        assertTrue(e.getMessage().contains("failed signature verification"), e.getMessage());
        assertFalse(e.getMessage().contains("trade_state"), e.getMessage());
    }

    @Test
    void aStaleAnswerTimestampIsUnavailable() {
        // wechatpay-java signals a response timestamp more than 5 minutes off with IllegalArgumentException.
        assertInstanceOf(
                WeChatPayUnavailableException.class,
                translate(new IllegalArgumentException("timestamp[1] of httpResponse is expires")));
    }

    @Test
    void aMalformedAnswerIsUnavailableAndSaysItFailedVerification() {
        WeChatPayUnavailableException e = assertInstanceOf(
                WeChatPayUnavailableException.class,
                translate(new MalformedMessageException("Unsupported content-type[text/html]")));

        assertTrue(e.getMessage().contains("failed verification"), e.getMessage());
    }

    @Test
    void aMissingOrderIsEmptyOnlyFor404WithANotFoundCode() {
        assertEquals(Optional.empty(), WeChatPayErrors.callOrEmptyWhenMissing("q", () -> {
            throw answered(404, "ORDER_NOT_EXIST");
        }));
        assertEquals(Optional.empty(), WeChatPayErrors.callOrEmptyWhenMissing("q", () -> {
            throw answered(404, "RESOURCE_NOT_EXISTS");
        }));
        assertEquals(Optional.empty(), WeChatPayErrors.callOrEmptyWhenMissing("q", () -> {
            throw answered(404, "ORDERNOTEXIST");
        }));
        assertThrows(
                WeChatPayRejectedException.class,
                () -> WeChatPayErrors.callOrEmptyWhenMissing("q", () -> {
                    throw answered(404, "NO_AUTH");
                }));
        assertThrows(
                WeChatPayUnavailableException.class,
                () -> WeChatPayErrors.callOrEmptyWhenMissing("q", () -> {
                    throw answered(500, "SYSTEM_ERROR");
                }));
    }

    @Test
    void programmingErrorsAreNotDisguisedAsWeChatPayFailures() {
        IllegalStateException bug = new IllegalStateException("bug");
        assertSame(bug, translate(bug));
    }
}
