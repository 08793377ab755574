package io.wxpayfn.shop;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.wxpayfn.function.SimulatorResource;
import io.wxpayfn.identity.SessionTokens;
import java.net.URL;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * The mini-program client module (miniprogram/utils/wxpay.js) and its two sample pages, under Node.js with a wx
 * shim, against these functions (SQLite store) and the simulator: src/test/js/miniprogram/*.test.js.
 */
@QuarkusTest
@QuarkusTestResource(SimulatorResource.class)
class MiniProgramModuleTest {

    @TestHTTPResource("/")
    URL functions;

    @ConfigProperty(name = "WECHATPAY_BASE_URL")
    String simulator;

    @ConfigProperty(name = "SESSION_SECRET")
    String sessionSecret;

    @ConfigProperty(name = "WECHATPAY_APPID")
    String appid;

    @Test
    void clientModuleAndSamplePagesPassTheirNodeTestsAgainstTheRunningFunctions() {
        // Signed with the functions' own secret, expired an hour ago: the server's 40101 for "expired".
        Clock anHourAgo = Clock.offset(Clock.systemUTC(), Duration.ofHours(-2));
        String expired = new SessionTokens(sessionSecret, appid, Duration.ofHours(1), anHourAgo)
                .issue("oExpiredSessionUser0000000000")
                .token();
        NodeTests.runTests(
                "miniprogram",
                Map.of(
                        "FUNCTIONS_URL", functions.toString(),
                        "SIMULATOR_URL", simulator,
                        "APPID", appid,
                        "EXPIRED_TOKEN", expired),
                240,
                "miniprogram/wxpay.test.js",
                "miniprogram/pages.test.js");
    }
}
