package io.wxpayfn.config;

import io.wxpayfn.simulator.SimCrypto;
import org.junit.jupiter.api.Test;

import java.security.KeyPair;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SettingsReaderTest {

    private static final KeyPair MERCHANT = SimCrypto.newRsaKeyPair();
    private static final KeyPair PLATFORM = SimCrypto.newRsaKeyPair();
    private static final String API_V3_KEY = "0123456789abcdefghijABCDEFGHIJ01";
    private static final String SESSION_SECRET = "session-secret-session-secret-0123456789";

    private static Map<String, String> valid() {
        Map<String, String> env = new HashMap<>();
        env.put("WECHATPAY_APPID", "wxd678efh567hg6787");
        env.put("WECHATPAY_MCHID", "1900000109");
        env.put("WECHATPAY_MERCHANT_SERIAL_NUMBER", "5157F09EFDC096DE15EBE81A47057A7232F1B8E1");
        env.put("WECHATPAY_PRIVATE_KEY", SimCrypto.privateKeyPem(MERCHANT.getPrivate()));
        env.put("WECHATPAY_API_V3_KEY", API_V3_KEY);
        env.put("WECHATPAY_PUBLIC_KEY", SimCrypto.publicKeyPem(PLATFORM.getPublic()));
        env.put("WECHATPAY_PUBLIC_KEY_ID", "PUB_KEY_ID_0114232134912410000000000000");
        env.put("WECHATPAY_NOTIFY_URL", "https://pay.example.com/payment-callback");
        env.put("WECHATPAY_REFUND_NOTIFY_URL", "https://pay.example.com/refund-callback");
        env.put("WECHAT_APP_SECRET", "app-secret-value");
        env.put("SESSION_SECRET", SESSION_SECRET);
        return env;
    }

    private static Settings read(Map<String, String> env) {
        return new SettingsReader(name -> Optional.ofNullable(env.get(name))).read();
    }

    private static void assertRefused(Map<String, String> env, String variable) {
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> read(env));
        assertTrue(e.getMessage().startsWith(variable + ":"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line");
        for (String secret : new String[] {API_V3_KEY, SESSION_SECRET, "app-secret-value"}) {
            assertFalse(e.getMessage().contains(secret), "a secret leaked into " + e.getMessage());
        }
    }

    @Test
    void completeEnvironmentGivesPublicKeyModeAndTheDocumentedDefaults() {
        Settings settings = read(valid());
        assertTrue(settings.publicKeyMode());
        assertEquals("https://api.mch.weixin.qq.com", settings.wechatPayBaseUrl().toString());
        assertEquals("sqlite:data/orders.db", settings.orderStoreUri());
        assertEquals(30, settings.orderTtl().toMinutes());
        assertEquals(7, settings.ownerRefundWindow().toDays());
        assertNull(settings.operatorApiKey());
    }

    @Test
    void withoutThePlatformPublicKeyItIsPlatformCertificateMode() {
        Map<String, String> env = valid();
        env.remove("WECHATPAY_PUBLIC_KEY");
        env.remove("WECHATPAY_PUBLIC_KEY_ID");
        assertFalse(read(env).publicKeyMode());
    }

    @Test
    void eachMissingRequiredVariableIsNamed() {
        for (String variable : new String[] {"WECHATPAY_APPID", "WECHATPAY_MCHID", "WECHATPAY_MERCHANT_SERIAL_NUMBER",
                "WECHATPAY_PRIVATE_KEY", "WECHATPAY_API_V3_KEY", "WECHATPAY_NOTIFY_URL", "WECHATPAY_REFUND_NOTIFY_URL",
                "WECHAT_APP_SECRET", "SESSION_SECRET"}) {
            Map<String, String> env = valid();
            env.remove(variable);
            assertRefused(env, variable);
        }
    }

    @Test
    void malformedValuesAreNamedWithoutEchoingSecrets() {
        Object[][] cases = {
                {"WECHATPAY_APPID", "not-an-appid"},
                {"WECHATPAY_MCHID", "12ab"},
                {"WECHATPAY_PRIVATE_KEY", "-----BEGIN PRIVATE KEY-----\nnot base64\n-----END PRIVATE KEY-----"},
                {"WECHATPAY_API_V3_KEY", "too-short"},
                {"WECHATPAY_PUBLIC_KEY_ID", "0114232134912410000000000000"},
                {"WECHATPAY_NOTIFY_URL", "http://pay.example.com/payment-callback"},
                {"WECHATPAY_REFUND_NOTIFY_URL", "https://pay.example.com/refund-callback?x=1"},
                {"ORDER_STORE_URI", "mysql://db/orders"},
                {"SESSION_SECRET", "short"},
                {"ORDER_TTL_MINUTES", "0"},
                {"OWNER_REFUND_WINDOW_DAYS", "seven"},
                {"OPERATOR_API_KEY", "short"},
                {"CATALOGUE_PATH", "/no/such/catalogue.json"},
        };
        for (Object[] c : cases) {
            Map<String, String> env = valid();
            env.put((String) c[0], (String) c[1]);
            assertRefused(env, (String) c[0]);
        }
    }

    @Test
    void publicKeyAndItsIdComeTogether() {
        Map<String, String> env = valid();
        env.remove("WECHATPAY_PUBLIC_KEY_ID");
        assertRefused(env, "WECHATPAY_PUBLIC_KEY_ID");
        env = valid();
        env.remove("WECHATPAY_PUBLIC_KEY");
        assertRefused(env, "WECHATPAY_PUBLIC_KEY");
    }

    @Test
    void settingsNeverPrintSecretsOrStorePasswords() {
        Map<String, String> env = valid();
        env.put("ORDER_STORE_URI", "postgresql://app:pa55word@db:5432/orders");
        env.put("OPERATOR_API_KEY", "operator-key-operator-key-0123");
        String printed = read(env).toString();
        for (String secret : new String[] {API_V3_KEY, SESSION_SECRET, "app-secret-value", "pa55word",
                "operator-key-operator-key-0123", "PRIVATE KEY"}) {
            assertFalse(printed.contains(secret), secret + " in " + printed);
        }
    }
}
