package io.wxpayfn.config;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
@TestProfile(SingleRouteFilterTest.ServeLoginOnly.class)
class SingleRouteFilterTest {

    public static class ServeLoginOnly implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("FUNCTION_ROUTE", "login");
        }
    }

    @Inject
    Vertx vertx;

    @Test
    void theConfiguredFunctionItselfAnswers() {
        // errcode 40001 comes from the login function's own input check: the request got past the filter.
        given().contentType("application/json")
                .body("{}")
                .when()
                .post("/login")
                .then()
                .statusCode(200)
                .body("errcode", equalTo(40001));
    }

    @Test
    void anotherFunctionOfTheSameArtifactIsRefusedWithTheNotFoundEnvelope() {
        given().contentType("application/json")
                .body("{\"x\":1}")
                .when()
                .post("/payment-callback")
                .then()
                .statusCode(404)
                .contentType("application/json")
                .body("errcode", equalTo(40401))
                .body("errmsg", equalTo("this deployment serves only /login"));
    }

    @Test
    void pathsThatAreNoFunctionAreRefusedToo() {
        given().when().get("/").then().statusCode(404).body("errcode", equalTo(40401));
        given().when().post("/login/extra").then().statusCode(404).body("errcode", equalTo(40401));
        given().when().get("/q/health").then().statusCode(404).body("errcode", equalTo(40401));
    }

    @Test
    void aRouteThatNamesNoFunctionStopsStartUpNamingTheVariable() {
        SingleRouteFilter filter = new SingleRouteFilter(Optional.of("no-such-function"));
        ConfigurationException refused =
                assertThrows(ConfigurationException.class, () -> filter.register(Router.router(vertx)));
        assertTrue(refused.getMessage().startsWith("FUNCTION_ROUTE: 'no-such-function'"), refused.getMessage());
        assertTrue(refused.getMessage().contains("payment-callback"), refused.getMessage());
    }
}
