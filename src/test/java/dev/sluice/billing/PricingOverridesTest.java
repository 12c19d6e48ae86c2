package dev.sluice.billing;

import dev.sluice.store.Database;
import dev.sluice.testing.MockUpstream;
import dev.sluice.testing.VirtualKeys;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Prices that come from configuration rather than the table: the explicit default for unpriced models
 * ({@code sluice.billing.unpriced=default}), per-deployment prices (a model group's deployment, or a whole
 * provider), and a price per extracted web page, which the reservation counts too. Every mock answer here reports
 * 9 prompt and 2 completion tokens.
 */
@QuarkusTest
@WithTestResource(MockUpstream.class)
@TestProfile(PricingOverridesTest.Overrides.class)
class PricingOverridesTest {

    public static class Overrides implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "sluice.billing.unpriced", "default",
                    "sluice.billing.default-price.input", "3.00",
                    "sluice.billing.default-price.output", "6.00",
                    "sluice.billing.deployments.\"solo-1\".input", "7.00",
                    "sluice.billing.deployments.\"solo-1\".output", "9.00",
                    "sluice.billing.deployments.\"groq\".input", "0.50",
                    "sluice.billing.deployments.\"groq\".output", "0.70",
                    "sluice.billing.web-extract-page-usd", "0.001");
        }
    }

    static final String PAGE = "<html><head><title>Tides</title></head><body><article><h1>Tides</h1><p>Tides are the "
            + "rise and fall of sea levels caused by the gravity of the Moon and the Sun, and the rotation of the "
            + "Earth. Most coasts see two high tides and two low tides every day.</p></article></body></html>";

    @Inject
    Database db;

    @BeforeEach
    void reset() {
        MockUpstream.reset();
        MockUpstream.on("GET", "/pages/tides", MockUpstream.html(PAGE));
        MockUpstream.on("GET", "/pages/tides-again", MockUpstream.html(PAGE.replace("Tides</title>", "More tides</title>")));
    }

    private static String chat(String model) {
        return "{\"model\":\"" + model + "\",\"max_tokens\":50,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
    }

    @Test
    void aModelWithoutAPriceIsChargedTheConfiguredDefault() {
        VirtualKeys.Key key = VirtualKeys.withCredit("default-priced", "1");
        given().auth().oauth2(key.secret()).contentType(ContentType.JSON).body(chat("openai/gpt-not-in-the-table"))
                .when().post("/v1/chat/completions")
                .then().statusCode(200).header("x-sluice-cost-usd", "0.000039"); // 9 x 3 + 2 x 6
        Map<String, Object> row = LedgerRows.requests(LedgerRows.forKey(db, key.id())).get(0);
        assertEquals(39L, ((Number) row.get("cost_micros")).longValue());
        assertEquals(1, ((Number) row.get("priced")).intValue(), "priced, explicitly, by the default");
        // a model in the table keeps its own price
        given().auth().oauth2(key.secret()).contentType(ContentType.JSON).body(chat("openai/gpt-4o"))
                .when().post("/v1/chat/completions")
                .then().statusCode(200).header("x-sluice-cost-usd", "0.000043"); // 9 x 2.50 + 2 x 10
    }

    @Test
    void aDeploymentsPriceOverridesTheModelsPrice() {
        VirtualKeys.Key key = VirtualKeys.withCredit("deployment-priced", "1");
        // the group "solo" has one deployment, solo-1 (openai gpt-4o-mini): its own price, not gpt-4o-mini's
        given().auth().oauth2(key.secret()).contentType(ContentType.JSON).body(chat("solo"))
                .when().post("/v1/chat/completions")
                .then().statusCode(200).header("x-sluice-cost-usd", "0.000081"); // 9 x 7 + 2 x 9
        Map<String, Object> row = LedgerRows.requests(LedgerRows.forKey(db, key.id())).get(0);
        assertEquals("solo-1", row.get("deployment"));
        assertEquals(81L, ((Number) row.get("cost_micros")).longValue());
        // a provider's name as deployment: every model it serves directly
        given().auth().oauth2(key.secret()).contentType(ContentType.JSON).body(chat("groq/llama-3.1-8b-instant"))
                .when().post("/v1/chat/completions")
                .then().statusCode(200).header("x-sluice-cost-usd", "0.000006"); // 9 x 0.50 + 2 x 0.70 = 5.9
    }

    @Test
    void extractedPagesAreReservedSoTheyCannotOverdrawTheBalance() {
        String twoPages = "{\"model\":\"billed/m\",\"max_tokens\":50,\"web_extract\":{\"urls\":[\""
                + MockUpstream.pageUrl("/pages/tides") + "\",\"" + MockUpstream.pageUrl("/pages/tides-again")
                + "\"]},\"messages\":[{\"role\":\"user\",\"content\":\"Why are there two tides a day?\"}]}";
        // 1500 micro-dollars cover the prompt and answer, but not two pages at 1000 each as well
        VirtualKeys.Key poor = VirtualKeys.withCredit("pages-poor", "0.0015");
        given().auth().oauth2(poor.secret()).contentType(ContentType.JSON).body(twoPages)
                .when().post("/v1/chat/completions")
                .then().statusCode(429).body("error.code", equalTo("insufficient_quota"))
                .header("x-sluice-cost-usd", "0.000000");
        assertTrue(MockUpstream.received().stream().noneMatch(r -> r.path().startsWith("/billed")),
                "refused before the provider");
        Map<String, Object> refused = LedgerRows.requests(LedgerRows.forKey(db, poor.id())).get(0);
        // the pages are reserved for before they are read, so a request the balance refuses reads none
        assertEquals(0, ((Number) refused.get("extract_pages")).intValue());
        assertTrue(MockUpstream.received().stream().noneMatch(r -> r.path().startsWith("/pages/tides")),
                "nothing fetched for a refused request");
        assertEquals(0L, ((Number) refused.get("cost_micros")).longValue(), "a refused request costs nothing");
        assertEquals(1500L, LedgerRows.balance(db, poor.id()));

        VirtualKeys.Key rich = VirtualKeys.withCredit("pages-rich", "0.01");
        given().auth().oauth2(rich.secret()).contentType(ContentType.JSON).body(twoPages)
                .when().post("/v1/chat/completions")
                .then().statusCode(200).header("x-sluice-cost-usd", "0.002013"); // 2 pages + 9 x 1 + 2 x 2
        List<Map<String, Object>> rows = LedgerRows.requests(LedgerRows.forKey(db, rich.id()));
        assertEquals(2013L, ((Number) rows.get(0).get("cost_micros")).longValue());
        assertEquals(10_000L - 2013L, LedgerRows.balance(db, rich.id()));
    }
}
