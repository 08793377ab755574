package io.wxpayfn.wechat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wxpayfn.simulator.SimCrypto;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class WeChatPaySettingsTest {

    private static final String API_V3_KEY = "0123456789abcdefABCDEF0123456789";

    private static WeChatPaySettings settings(String privateKeyPem, String baseUrl) {
        return TestSettings.oneKeyMode(
                "1900000001",
                "SERIAL01",
                privateKeyPem,
                API_V3_KEY,
                "-----BEGIN PUBLIC KEY-----x-----END PUBLIC KEY-----",
                "PUB_KEY_ID_01",
                "https://shop.example/pay",
                "https://shop.example/refund",
                baseUrl);
    }

    @Test
    void toStringNeverShowsThePrivateKeyOrTheApiV3Key() {
        String pem = SimCrypto.privateKeyPem(SimCrypto.newRsaKeyPair().getPrivate());
        String body =
                pem.lines().filter(l -> !l.startsWith("-----")).findFirst().orElseThrow();

        String shown = settings(pem, null).toString();

        assertFalse(shown.contains(body), shown);
        assertFalse(shown.contains(API_V3_KEY), shown);
        assertTrue(shown.contains("1900000001"), shown);
    }

    @Test
    void defaultsToWeChatPayHostAndTimeoutsThatFitACallback() {
        WeChatPaySettings s = settings("pem", null);

        assertEquals("https://api.mch.weixin.qq.com", s.baseUrl());
        assertFalse(s.rewritesHost());
        assertEquals(Duration.ofSeconds(2), s.connectTimeout());
        assertEquals(Duration.ofSeconds(4), s.readTimeout());
    }

    @Test
    void acceptsASimulatorOriginAndMarksItForRewriting() {
        WeChatPaySettings s = settings("pem", "http://127.0.0.1:18080/");

        assertEquals("http://127.0.0.1:18080", s.baseUrl());
        assertTrue(s.rewritesHost());
    }

    @Test
    void refusesABaseUrlWithAPathBecauseTheSignedPathMustArriveUnchanged() {
        assertThrows(IllegalArgumentException.class, () -> settings("pem", "http://127.0.0.1:18080/prefix"));
    }

    @Test
    void refusesAnApiV3KeyThatIsNot32Bytes() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> TestSettings.oneKeyMode(
                        "1900000001", "S", "pem", "short-key", null, null, "https://a/n", "https://a/r", null));
        assertFalse(e.getMessage().contains("short-key"));
    }

    @Test
    void refusesAPublicKeyWithoutItsId() {
        assertThrows(
                IllegalArgumentException.class,
                () -> TestSettings.oneKeyMode(
                        "1900000001",
                        "S",
                        "pem",
                        API_V3_KEY,
                        "-----BEGIN PUBLIC KEY-----",
                        null,
                        "https://a/n",
                        "https://a/r",
                        null));
    }
}
