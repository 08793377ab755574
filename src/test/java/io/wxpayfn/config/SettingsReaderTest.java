package io.wxpayfn.config;

import io.wxpayfn.simulator.SimCrypto;
import org.junit.jupiter.api.Test;

import java.security.KeyPair;
import io.wxpayfn.order.SubMerchant;

import java.util.HashMap;
import java.util.List;
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

    private static Map<String, String> partner() {
        Map<String, String> env = valid();
        env.put("WECHATPAY_MODE", "partner");
        env.put("WECHATPAY_SUB_MERCHANTS",
                "[{\"subMchid\":\"1900000201\",\"subAppid\":\"wx5a1b2c3d4e5f6a7b\"},{\"subMchid\":\"1900000202\"}]");
        env.put("WECHAT_APP_SECRETS", "{\"wx5a1b2c3d4e5f6a7b\":\"sub-app-secret-value\"}");
        return env;
    }

    @Test
    void partnerModeReadsTheSubMerchantsAndTheAppSecretsOfTheirOwnMiniPrograms() {
        Settings settings = read(partner());
        assertTrue(settings.partnerMode());
        assertEquals(List.of(new SubMerchant("1900000201", "wx5a1b2c3d4e5f6a7b"), new SubMerchant("1900000202", null)),
                settings.subMerchants());
        assertEquals(Map.of("wx5a1b2c3d4e5f6a7b", "sub-app-secret-value"), settings.subAppSecrets());
        assertFalse(settings.toString().contains("sub-app-secret-value"), settings.toString());
        assertFalse(read(valid()).partnerMode());
    }

    @Test
    void partnerSettingsThatCannotBeRightAreRefusedNamingTheVariable() {
        Map<String, String> noSubMerchants = partner();
        noSubMerchants.remove("WECHATPAY_SUB_MERCHANTS");
        assertRefused(noSubMerchants, "WECHATPAY_SUB_MERCHANTS");
        for (String wrong : List.of("[]", "{}", "[{\"subMchid\":\"19\"}]", "[{\"subMchid\":\"1900000201\",\"x\":1}]",
                "[{\"subMchid\":\"1900000201\"},{\"subMchid\":\"1900000201\"}]",
                "[{\"subMchid\":\"1900000201\",\"subAppid\":\"wxd678efh567hg6787\"}]", "[{")) {
            Map<String, String> env = partner();
            env.put("WECHATPAY_SUB_MERCHANTS", wrong);
            env.remove("WECHAT_APP_SECRETS");
            assertRefused(env, "WECHATPAY_SUB_MERCHANTS");
        }
        Map<String, String> noSecret = partner();
        noSecret.remove("WECHAT_APP_SECRETS");
        assertRefused(noSecret, "WECHAT_APP_SECRETS");
        Map<String, String> strangerSecret = partner();
        strangerSecret.put("WECHAT_APP_SECRETS", "{\"wx5a1b2c3d4e5f6a7b\":\"s\",\"wx0000000000000000\":\"s\"}");
        assertRefused(strangerSecret, "WECHAT_APP_SECRETS");
        Map<String, String> badMode = partner();
        badMode.put("WECHATPAY_MODE", "provider");
        assertRefused(badMode, "WECHATPAY_MODE");
        Map<String, String> directWithSubMerchants = partner();
        directWithSubMerchants.remove("WECHATPAY_MODE");
        assertRefused(directWithSubMerchants, "WECHATPAY_SUB_MERCHANTS");
    }

    @Test
    void verificationDefaultsToTheKeyConfiguredAndBothNeedsThePublicKey() {
        assertEquals(MerchantMode.Verification.PUBLIC_KEY, read(valid()).verification());
        Map<String, String> both = valid();
        both.put("WECHATPAY_VERIFY_WITH", "both");
        assertEquals(MerchantMode.Verification.BOTH, read(both).verification());
        Map<String, String> certificates = valid();
        certificates.remove("WECHATPAY_PUBLIC_KEY");
        certificates.remove("WECHATPAY_PUBLIC_KEY_ID");
        assertEquals(MerchantMode.Verification.PLATFORM_CERTIFICATES, read(certificates).verification());
        certificates.put("WECHATPAY_VERIFY_WITH", "both");
        assertRefused(certificates, "WECHATPAY_VERIFY_WITH");
        both.put("WECHATPAY_VERIFY_WITH", "platform-certificates");
        assertRefused(both, "WECHATPAY_VERIFY_WITH");
    }

    @Test
    void theBackupDomainIsOffUnlessSetAndThenAnOrigin() {
        assertNull(read(valid()).wechatPayBackupBaseUrl());
        Map<String, String> env = valid();
        env.put("WECHATPAY_BACKUP_BASE_URL", "https://api2.wechatpay.cn/");
        assertEquals("https://api2.wechatpay.cn", read(env).wechatPayBackupBaseUrl().toString());
        env.put("WECHATPAY_BACKUP_BASE_URL", "https://api2.wechatpay.cn/v3");
        assertRefused(env, "WECHATPAY_BACKUP_BASE_URL");
    }
}
