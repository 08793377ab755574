package io.wxpayfn.config;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.runtime.configuration.ConfigurationException;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(SingleRouteFilterTest.ServeRouteProbeOnly.class)
class SingleRouteFilterTest {

    public static class ServeRouteProbeOnly implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("FUNCTION_ROUTE", "route-probe");
        }
    }

    @Inject
    Vertx vertx;

    @Test
    void theConfiguredFunctionAnswers() {
        given().contentType("application/json").body("{\"x\":1}")
                .when().post("/route-probe")
                .then().statusCode(200).body("data.served", equalTo("route-probe"));
    }

    @Test
    void anotherFunctionOfTheSameArtifactIsRefusedWithTheNotFoundEnvelope() {
        given().contentType("application/json").body("{\"x\":1}")
                .when().post("/other-probe")
                .then().statusCode(404)
                .contentType("application/json")
                .body("errcode", equalTo(40401))
                .body("errmsg", equalTo("this deployment serves only /route-probe"));
    }

    @Test
    void pathsThatAreNoFunctionAreRefusedToo() {
        given().when().get("/").then().statusCode(404).body("errcode", equalTo(40401));
        given().when().post("/route-probe/extra").then().statusCode(404).body("errcode", equalTo(40401));
        given().when().get("/q/health").then().statusCode(404).body("errcode", equalTo(40401));
    }

    @Test
    void aRouteThatNamesNoFunctionStopsStartUpNamingTheVariable() {
        SingleRouteFilter filter = new SingleRouteFilter(Optional.of("no-such-function"));
        ConfigurationException refused =
                assertThrows(ConfigurationException.class, () -> filter.register(Router.router(vertx)));
        assertTrue(refused.getMessage().startsWith("FUNCTION_ROUTE='no-such-function'"), refused.getMessage());
        assertTrue(refused.getMessage().contains("route-probe"), refused.getMessage());
    }
}
