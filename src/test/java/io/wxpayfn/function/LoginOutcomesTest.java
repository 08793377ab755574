package io.wxpayfn.function;

import static io.wxpayfn.function.Shop.assertOk;
import static io.wxpayfn.function.Shop.call;
import static io.wxpayfn.function.Shop.simulator;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.wxpayfn.order.WeChatLoginRules;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** login against the simulator's jscode2session: a refused code, and a login service that is busy rather than WeChat Pay. */
@QuarkusTest
class LoginOutcomesTest {

    @Test
    void aBusyOrThrottledLoginServiceIsLoginUnavailableAndTheSameCodeWorksAfterwards() {
        for (int busy : WeChatLoginRules.RETRYABLE_ERRCODES) {
            String code = simulator().loginCode("una-" + busy);
            simulator().failNextLogins(1, busy);
            JsonPath unavailable = call(null, "login", Map.of("code", code));
            assertEquals(50303, unavailable.getInt("errcode"), unavailable.prettify());
            assertTrue(unavailable.getString("errmsg").contains("error id"), unavailable.prettify());

            JsonPath retried = call(null, "login", Map.of("code", code));
            assertOk(retried);
            assertEquals(simulator().openidOf("una-" + busy), retried.getString("data.openid"));
        }
    }

    @Test
    void aCodeUsedTwiceIsRefusedAsLoginFailed() {
        String code = simulator().loginCode("vic");
        assertOk(call(null, "login", Map.of("code", code)));
        JsonPath again = call(null, "login", Map.of("code", code));
        assertEquals(40102, again.getInt("errcode"), again.prettify());
    }
}
