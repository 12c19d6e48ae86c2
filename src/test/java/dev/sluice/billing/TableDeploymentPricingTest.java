package dev.sluice.billing;

import dev.sluice.testing.MockUpstream;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Lowest-cost routing over deployments whose routing file gives no price ranks them by what billing charges for
 * them, so the cheaper model serves.
 */
@QuarkusTest
@WithTestResource(MockUpstream.class)
class TableDeploymentPricingTest {

    @Test
    void lowestCostRoutingUsesTheBillingPriceTableWhenTheRoutingFileGivesNoPrice() {
        for (int i = 0; i < 4; i++) {
            String deployment = given().auth().oauth2(MockUpstream.MASTER_KEY).contentType(ContentType.JSON)
                    .body("{\"model\":\"cost-by-table\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                    .post("/v1/chat/completions").then().statusCode(200).extract().header("x-sluice-deployment");
            assertEquals("cost-cheap", deployment, "gpt-4o-mini costs less than gpt-4o in the price table");
        }
        assertEquals(0, MockUpstream.count("/rt/cost-dear/v1/chat/completions"));
    }
}
