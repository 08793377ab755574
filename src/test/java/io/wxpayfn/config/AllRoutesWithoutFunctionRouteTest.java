package io.wxpayfn.config;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

@QuarkusTest
class AllRoutesWithoutFunctionRouteTest {

    @Test
    void everyFunctionAnswersWhenFunctionRouteIsUnset() {
        // Each answers its own input-validation envelope, which only the function itself produces.
        for (String route : new String[] {"login", "queryOrder", "refund"}) {
            given().contentType("application/json")
                    .body("{}")
                    .when()
                    .post("/" + route)
                    .then()
                    .statusCode(200)
                    .body("errcode", equalTo(40001));
        }
    }
}
