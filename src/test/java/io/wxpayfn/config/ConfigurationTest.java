package io.wxpayfn.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.wxpayfn.order.SubMerchant;
import io.wxpayfn.simulator.SimCrypto;
import io.wxpayfn.wechat.WeChatPaySettings;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The settings each concern reads, checked the way a deployment checks them at start. */
class ConfigurationTest {

    private static final KeyPair MERCHANT = SimCrypto.newRsaKeyPair();
    private static final KeyPair PLATFORM = SimCrypto.newRsaKeyPair();
    private static final String API_V3_KEY = "0123456789abcdefghijABCDEFGHIJ01";
    private static final String SESSION_SECRET = "session-secret-session-secret-0123456789";
    private static final FunctionSpecs SPECS = FunctionSpecs.load();

    static Map<String, String> valid() {
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
        env.put("ORDER_STORE_URI", "sqlite:target/configuration-test.db");
        env.put("RECONCILE_API_KEY", "reconcile-key-reconcile-key-0123");
        // Required where an operator-only function is deployed (listEvents, redeliverEvents), so locally too.
        env.put("OPERATOR_API_KEY", "operator-key-operator-key-0123");
        return env;
    }

    /** The configuration as Quarkus builds it: the same mappings, environment names through the interceptor. */
    static Configuration configuration(Map<String, String> env, boolean onScf) {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withInterceptors(new EnvironmentNames())
                .withSources(new PropertiesConfigSource(env, "test", 500))
                .withMapping(Environment.WeChatPay.class)
                .withMapping(Environment.MiniProgram.class)
                .withMapping(Environment.Session.class)
                .withMapping(Environment.Orders.class)
                .withMapping(Environment.Owner.class)
                .withMapping(Environment.Catalogue.class)
                .withMapping(Environment.Operator.class)
                .withMapping(Environment.Reconcile.class)
                .withMapping(Environment.MerchantEvents.class)
                .build();
        return new Configuration(
                config.getConfigMapping(Environment.WeChatPay.class),
                config.getConfigMapping(Environment.MiniProgram.class),
                config.getConfigMapping(Environment.Session.class),
                config.getConfigMapping(Environment.Orders.class),
                config.getConfigMapping(Environment.Owner.class),
                config.getConfigMapping(Environment.Catalogue.class),
                config.getConfigMapping(Environment.Operator.class),
                config.getConfigMapping(Environment.Reconcile.class),
                config.getConfigMapping(Environment.MerchantEvents.class),
                onScf);
    }

    private static void checkEverything(Map<String, String> env) {
        configuration(env, false).check(SPECS.concernsOf(Optional.empty()));
    }

    private static void assertRefused(Map<String, String> env, String variable) {
        assertRefused(() -> checkEverything(env), variable);
    }

    private static void assertRefused(Runnable check, String variable) {
        ConfigurationException e = assertThrows(ConfigurationException.class, check::run);
        assertTrue(e.getMessage().startsWith(variable + ":"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line");
        for (String secret : new String[] {API_V3_KEY, SESSION_SECRET, "app-secret-value"}) {
            assertFalse(e.getMessage().contains(secret), "a secret leaked into " + e.getMessage());
        }
    }

    @Test
    void completeEnvironmentGivesPublicKeyModeAndTheDocumentedDefaults() {
        Configuration configuration = configuration(valid(), false);
        configuration.check(SPECS.concernsOf(Optional.empty()));
        WeChatPaySettings merchant = configuration.wechatPay();
        assertTrue(merchant.usesPlatformPublicKey());
        assertEquals("https://api.mch.weixin.qq.com", merchant.baseUrl());
        assertEquals(30, configuration.catalogue().orderTtl().toMinutes());
        assertEquals(7, configuration.ownerRefundWindow().toDays());
        assertEquals(120, configuration.session().ttl().toMinutes());
        assertEquals(Optional.of("operator-key-operator-key-0123"), configuration.operatorKey());
        assertTrue(configuration.notificationKeys(false).isPresent());
        // Where no function serves the operator alone, the key stays optional: unset, nobody is an operator.
        Map<String, String> withoutOperator = valid();
        withoutOperator.remove("OPERATOR_API_KEY");
        Configuration users = configuration(withoutOperator, false);
        users.check(SPECS.concernsOf(Optional.of("queryOrder")));
        assertEquals(Optional.empty(), users.operatorKey());
    }

    @Test
    void withoutThePlatformPublicKeyItIsPlatformCertificateMode() {
        Map<String, String> env = valid();
        env.remove("WECHATPAY_PUBLIC_KEY");
        env.remove("WECHATPAY_PUBLIC_KEY_ID");
        assertFalse(configuration(env, false).wechatPay().usesPlatformPublicKey());
    }

    @Test
    void eachMissingRequiredVariableIsNamed() {
        for (String variable : new String[] {
            "WECHATPAY_APPID",
            "WECHATPAY_MCHID",
            "WECHATPAY_MERCHANT_SERIAL_NUMBER",
            "WECHATPAY_PRIVATE_KEY",
            "WECHATPAY_API_V3_KEY",
            "WECHATPAY_NOTIFY_URL",
            "WECHATPAY_REFUND_NOTIFY_URL",
            "WECHAT_APP_SECRET",
            "SESSION_SECRET",
            "RECONCILE_API_KEY",
            "OPERATOR_API_KEY"
        }) {
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
            {"SESSION_TTL_MINUTES", "2"},
            {"ORDER_TTL_MINUTES", "0"},
            {"OWNER_REFUND_WINDOW_DAYS", "seven"},
            {"OPERATOR_API_KEY", "short"},
            {"RECONCILE_API_KEY", "short"},
            {"CATALOGUE_PATH", "/no/such/catalogue.json"},
            {"WECHAT_API_BASE_URL", "ftp://api.weixin.qq.com"},
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
    void keysComeFromMountedFilesAsWellAsFromTheEnvironment() throws Exception {
        Path dir = java.nio.file.Files.createDirectories(Path.of("target/configuration-test-keys"));
        Map<String, String> env = valid();
        Path privateKey =
                java.nio.file.Files.writeString(dir.resolve("apiclient_key.pem"), env.remove("WECHATPAY_PRIVATE_KEY"));
        Path publicKey =
                java.nio.file.Files.writeString(dir.resolve("pub_key.pem"), env.remove("WECHATPAY_PUBLIC_KEY"));
        env.put("WECHATPAY_PRIVATE_KEY_PATH", privateKey.toString());
        env.put("WECHATPAY_PUBLIC_KEY_PATH", publicKey.toString());
        Configuration configuration = configuration(env, false);
        assertTrue(configuration.wechatPay().merchantPrivateKeyPem().contains("BEGIN PRIVATE KEY"));
        assertTrue(configuration
                .notificationKeys(false)
                .orElseThrow()
                .platformPublicKeyPem()
                .contains("BEGIN PUBLIC KEY"));
    }

    @Test
    void theReconcileKeyMustNotBeTheOperatorKey() {
        Map<String, String> env = valid();
        env.put("OPERATOR_API_KEY", env.get("RECONCILE_API_KEY"));
        assertRefused(env, "RECONCILE_API_KEY");
    }

    @Test
    void onScfASqliteStoreOutsideTmpIsRefusedSayingTheDataIsPerInstance() {
        Map<String, String> env = valid();
        env.put("ORDER_STORE_URI", "sqlite:/var/user/orders.db");
        ConfigurationException e = assertThrows(
                ConfigurationException.class, () -> configuration(env, true).check(List.of("store")));
        assertTrue(e.getMessage().startsWith("ORDER_STORE_URI:"), e.getMessage());
        assertTrue(e.getMessage().contains("per instance"), e.getMessage());
        env.remove("ORDER_STORE_URI");
        assertRefused(() -> configuration(env, true).check(List.of("store")), "ORDER_STORE_URI");

        env.put("ORDER_STORE_URI", "sqlite:/tmp/orders.db");
        Configuration inTmp = configuration(env, true);
        inTmp.check(List.of("store"));
        assertTrue(inTmp.storeIsPerInstance());
        env.put("ORDER_STORE_URI", "sqlite:/var/user/orders.db");
        configuration(env, false).check(List.of("store"));
    }

    @Test
    void eachFunctionStartsWithOnlyTheVariablesItDeclaresAndNamesEachRequiredOneThatIsMissing() {
        Map<String, String> all = valid();
        all.put("CATALOGUE_PATH", "scripts/catalogue.sample.json");
        all.put("OPERATOR_API_KEY", "operator-key-operator-key-0123");
        for (FunctionSpecs.Spec function : SPECS.functions().values()) {
            Set<String> declared = DeclaredVariables.of(SPECS, function.name());
            Map<String, String> given = new HashMap<>(all);
            given.keySet().retainAll(declared);
            Set<String> concerns = SPECS.concernsOf(Optional.of(function.name()));
            configuration(given, false).check(concerns);
            for (String concern : concerns) {
                for (String required : SPECS.concerns().get(concern).required()) {
                    Map<String, String> missing = new HashMap<>(given);
                    missing.remove(required);
                    assertRefused(() -> configuration(missing, false).check(concerns), required);
                }
            }
        }
    }

    /** SCF caps a function's environment at 4 KB (names and values); the PEM keys are the bulk of it. */
    @Test
    void everyFunctionsEnvironmentFitsScfsFourKilobytesWithItsKeysInline() {
        Map<String, String> realistic = valid();
        realistic.put(
                "ORDER_STORE_URI",
                "postgresql://wxpayfn:" + "p".repeat(32) + "@postgres-abcdefgh.sql.tencentcdb.com:"
                        + "5432/wxpayfn?sslmode=require");
        realistic.put(
                "WECHATPAY_NOTIFY_URL", "https://1234567890-abcdefghij.ap-guangzhou.tencentscf.com/payment-callback");
        realistic.put(
                "WECHATPAY_REFUND_NOTIFY_URL",
                "https://1234567890-abcdefghij.ap-guangzhou.tencentscf.com/refund-callback");
        realistic.put("WECHAT_APP_SECRET", "0123456789abcdef0123456789abcdef");
        realistic.put("SESSION_SECRET", "s".repeat(64));
        realistic.put("OPERATOR_API_KEY", "o".repeat(48));
        realistic.put("RECONCILE_API_KEY", "r".repeat(48));
        realistic.put("WECHATPAY_BASE_URL", "https://api.mch.weixin.qq.com");
        realistic.put("WECHAT_API_BASE_URL", "https://api.weixin.qq.com");
        // Platforms that cannot hold newlines get the PEM with \n escapes: one more character per line.
        realistic.replaceAll((name, value) -> value.replace("\n", "\\n"));
        for (FunctionSpecs.Spec function : SPECS.functions().values()) {
            int bytes = 0;
            for (String variable : DeclaredVariables.of(SPECS, function.name())) {
                if (realistic.containsKey(variable)) {
                    bytes += (variable + "=" + realistic.get(variable))
                            .getBytes(java.nio.charset.StandardCharsets.UTF_8)
                            .length;
                }
            }
            assertTrue(bytes < 4096, function.name() + " needs " + bytes + " bytes of environment");
        }
    }

    @Test
    void theCallbacksAndLoginAreNeverGivenTheMerchantPrivateKey() {
        for (String function : List.of("login", "payment-callback", "refund-callback")) {
            Set<String> variables = DeclaredVariables.of(SPECS, function);
            assertFalse(variables.contains("WECHATPAY_PRIVATE_KEY"), function + " " + variables);
            assertFalse(variables.contains("OPERATOR_API_KEY"), function + " " + variables);
        }
        assertFalse(DeclaredVariables.of(SPECS, "login").contains("WECHATPAY_API_V3_KEY"));
        assertFalse(DeclaredVariables.of(SPECS, "reconcile").contains("OPERATOR_API_KEY"));
        assertFalse(DeclaredVariables.of(SPECS, "refund").contains("RECONCILE_API_KEY"));
    }

    @Test
    void theConfigurationNeverPrintsSecretsOrStorePasswords() {
        Map<String, String> env = valid();
        env.put("ORDER_STORE_URI", "postgresql://app:pa55word@db:5432/orders");
        env.put("OPERATOR_API_KEY", "operator-key-operator-key-0123");
        Configuration configuration = configuration(env, false);
        Set<String> concerns = SPECS.concernsOf(Optional.empty());
        configuration.check(concerns);
        String printed = configuration.describe(concerns)
                + configuration.login()
                + configuration.session()
                + configuration.notificationKeys(false);
        for (String secret : new String[] {
            API_V3_KEY, SESSION_SECRET, "app-secret-value", "pa55word", "operator-key-operator-key-0123", "PRIVATE KEY"
        }) {
            assertFalse(printed.contains(secret), secret + " in " + printed);
        }
    }

    @Test
    void orderEventsAreOffWithoutTheirUrlAndNeedASecretOfThirtyTwoCharactersWithIt() {
        assertEquals(Optional.empty(), configuration(valid(), false).merchantEvents());
        Map<String, String> env = valid();
        env.put("MERCHANT_EVENTS_URL", "https://shop.example.com/wxpay/events?tenant=7");
        assertRefused(env, "MERCHANT_EVENTS_SECRET");
        env.put("MERCHANT_EVENTS_SECRET", "too-short");
        assertRefused(env, "MERCHANT_EVENTS_SECRET");
        env.put("MERCHANT_EVENTS_SECRET", "order-events-secret-0123456789abcdef");
        Configuration.MerchantEventsSettings events =
                configuration(env, false).merchantEvents().orElseThrow();
        assertEquals(
                "https://shop.example.com/wxpay/events?tenant=7", events.url().toString());
        assertEquals(java.time.Duration.ofSeconds(5), events.timeout());
        assertFalse(events.toString().contains("0123456789abcdef"), events.toString());
        env.put("MERCHANT_EVENTS_TIMEOUT_SECONDS", "16");
        assertRefused(env, "MERCHANT_EVENTS_TIMEOUT_SECONDS");
        env.put("MERCHANT_EVENTS_TIMEOUT_SECONDS", "1");
        assertEquals(
                java.time.Duration.ofSeconds(1),
                configuration(env, false).merchantEvents().orElseThrow().timeout());
        env.put("MERCHANT_EVENTS_URL", "http://shop.example.com/events");
        assertRefused(env, "MERCHANT_EVENTS_URL");
        env.put("MERCHANT_EVENTS_URL", "http://127.0.0.1:8081/events");
        assertEquals(
                8081,
                configuration(env, false).merchantEvents().orElseThrow().url().getPort());
    }

    private static Map<String, String> partner() {
        Map<String, String> env = valid();
        env.put("WECHATPAY_MODE", "partner");
        env.put(
                "WECHATPAY_SUB_MERCHANTS",
                "[{\"subMchid\":\"1900000201\",\"subAppid\":\"wx5a1b2c3d4e5f6a7b\"},{\"subMchid\":\"1900000202\"}]");
        env.put("WECHAT_APP_SECRETS", "{\"wx5a1b2c3d4e5f6a7b\":\"sub-app-secret-value\"}");
        return env;
    }

    @Test
    void partnerModeReadsTheSubMerchantsTheirMiniProgramsAndTheirAppSecrets() {
        Configuration configuration = configuration(partner(), false);
        configuration.check(SPECS.concernsOf(Optional.empty()));
        assertEquals(
                List.of(new SubMerchant("1900000201", "wx5a1b2c3d4e5f6a7b"), new SubMerchant("1900000202", null)),
                configuration.subMerchants());
        assertEquals(
                Set.of("wxd678efh567hg6787", "wx5a1b2c3d4e5f6a7b"),
                configuration.session().appids());
        assertEquals(
                Map.of("wxd678efh567hg6787", "app-secret-value", "wx5a1b2c3d4e5f6a7b", "sub-app-secret-value"),
                configuration.login().secretsByAppid());
        assertFalse((configuration.login() + configuration.describe(SPECS.concernsOf(Optional.empty())))
                .contains("sub-app-secret-value"));
        assertEquals(List.of(), configuration(valid(), false).subMerchants(), "direct mode by default");
    }

    @Test
    void partnerSettingsThatCannotBeRightAreRefusedNamingTheVariable() {
        Map<String, String> noSubMerchants = partner();
        noSubMerchants.remove("WECHATPAY_SUB_MERCHANTS");
        assertRefused(noSubMerchants, "WECHATPAY_SUB_MERCHANTS");
        for (String wrong : List.of(
                "[]",
                "{}",
                "[{\"subMchid\":\"19\"}]",
                "[{\"subMchid\":\"1900000201\",\"x\":1}]",
                "[{\"subMchid\":\"1900000201\"},{\"subMchid\":\"1900000201\"}]",
                "[{\"subMchid\":\"1900000201\",\"subAppid\":\"wxd678efh567hg6787\"}]",
                "[{")) {
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
    void verificationDefaultsToTheKeyConfiguredAndBothNeedsThePublicKeyAndTheMerchantKey() {
        assertEquals(
                MerchantMode.Verification.PUBLIC_KEY,
                configuration(valid(), false).verification());
        Map<String, String> both = valid();
        both.put("WECHATPAY_VERIFY_WITH", "both");
        Configuration switching = configuration(both, false);
        assertTrue(switching.wechatPay().trustsBothKeys());
        assertEquals(Optional.empty(), switching.notificationKeys(true), "the callbacks verify with the merchant's");
        assertRefused(() -> configuration(both, false).notificationKeys(false), "WECHATPAY_VERIFY_WITH");
        Map<String, String> certificates = valid();
        certificates.remove("WECHATPAY_PUBLIC_KEY");
        certificates.remove("WECHATPAY_PUBLIC_KEY_ID");
        assertEquals(
                MerchantMode.Verification.PLATFORM_CERTIFICATES,
                configuration(certificates, false).verification());
        certificates.put("WECHATPAY_VERIFY_WITH", "both");
        assertRefused(() -> configuration(certificates, false).verification(), "WECHATPAY_VERIFY_WITH");
        both.put("WECHATPAY_VERIFY_WITH", "platform-certificates");
        assertRefused(() -> configuration(both, false).verification(), "WECHATPAY_VERIFY_WITH");
    }

    @Test
    void theBackupDomainIsOffUnlessSetAndThenAnOrigin() {
        assertFalse(configuration(valid(), false).wechatPay().failsOver());
        Map<String, String> env = valid();
        env.put("WECHATPAY_BACKUP_BASE_URL", "https://api2.wechatpay.cn/");
        assertEquals(
                "https://api2.wechatpay.cn",
                configuration(env, false).wechatPay().backupBaseUrl());
        env.put("WECHATPAY_BACKUP_BASE_URL", "https://api2.wechatpay.cn/v3");
        assertRefused(() -> configuration(env, false).wechatPay(), "WECHATPAY_BACKUP_BASE_URL");
    }

    @Test
    void aPartnerDeploymentWithTwoSubMerchantsAlsoFitsScfsFourKilobytes() {
        Map<String, String> env = partner();
        env.put("WECHATPAY_VERIFY_WITH", "both");
        env.put("WECHATPAY_BACKUP_BASE_URL", "https://api2.wechatpay.cn");
        env.put(
                "ORDER_STORE_URI",
                "postgresql://wxpayfn:" + "p".repeat(32) + "@postgres-abcdefgh.sql.tencentcdb.com:"
                        + "5432/wxpayfn?sslmode=require");
        env.put("SESSION_SECRET", "s".repeat(64));
        env.put("OPERATOR_API_KEY", "o".repeat(48));
        env.replaceAll((name, value) -> value.replace("\n", "\\n"));
        for (FunctionSpecs.Spec function : SPECS.functions().values()) {
            int bytes = DeclaredVariables.of(SPECS, function.name()).stream()
                    .filter(env::containsKey)
                    .mapToInt(v -> (v + "=" + env.get(v)).getBytes(java.nio.charset.StandardCharsets.UTF_8).length)
                    .sum();
            assertTrue(bytes < 4096, function.name() + " needs " + bytes + " bytes of environment");
        }
    }
}
