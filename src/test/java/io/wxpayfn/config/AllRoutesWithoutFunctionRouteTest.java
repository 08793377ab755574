package io.wxpayfn.config;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

@QuarkusTest
class AllRoutesWithoutFunctionRouteTest {

    @Test
    void everyFunctionAnswersWhenFunctionRouteIsUnset() {
        given().contentType("application/json").body("{}")
                .when().post("/route-probe")
                .then().statusCode(200).body("data.served", equalTo("route-probe"));
        given().contentType("application/json").body("{}")
                .when().post("/other-probe")
                .then().statusCode(200).body("data.served", equalTo("other-probe"));
    }
}
