package dev.sluice.catalog;

import dev.sluice.testing.MockUpstream;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A catalog URL is fetched through the extract fetcher's allow-list; a malformed or failing answer leaves the last
 * good catalog in force, says why in {@code /admin/catalog} and counts a failure.
 */
@QuarkusTest
@WithTestResource(MockUpstream.class)
@TestProfile(CatalogUrlTest.FromUrl.class)
class CatalogUrlTest {

    public static class FromUrl implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("sluice.catalog.source", "${test.pages-url}/catalog.json",
                    "sluice.catalog.allow-http", "true",
                    "sluice.catalog.refresh-interval", "0s");
        }
    }

    @Inject
    LiveCatalog catalog;
    @Inject
    MeterRegistry registry;

    private double failures() {
        return registry.get("sluice_catalog_refresh_total").tag("result", "failure").counter().count();
    }

    private static void refresh() {
        given().auth().oauth2(MockUpstream.MASTER_KEY).when().post("/admin/catalog/refresh").then().statusCode(200);
    }

    @Test
    void aBadAnswerKeepsTheLastGoodCatalog() {
        MockUpstream.reset();
        MockUpstream.on("GET", "/catalog.json", MockUpstream.json(200, CatalogFilesTest.LITELLM));
        refresh();
        assertTrue(catalog.current().exact("openai", "gpt-9").isPresent(), "the good download is in force");
        double before = failures();

        MockUpstream.on("GET", "/catalog.json", MockUpstream.json(200, "{\"gpt-9\": {\"input_cost_per_token\": "));
        refresh();
        assertTrue(catalog.current().exact("openai", "gpt-9").isPresent(), "a malformed download changes nothing");
        assertEquals(before + 1, failures());
        given().auth().oauth2(MockUpstream.MASTER_KEY).when().get("/admin/catalog").then().statusCode(200)
                .body("refresh.last_error", containsString("not valid JSON"))
                .body("refresh.last_success", notNullValue())
                .body("models.find { it.id == 'openai/gpt-9' }.source", equalTo("url"));

        MockUpstream.on("GET", "/catalog.json", MockUpstream.serverError());
        refresh();
        assertTrue(catalog.current().exact("openai", "gpt-9").isPresent(), "an unreachable source changes nothing");
        assertEquals(before + 2, failures());
        given().auth().oauth2(MockUpstream.MASTER_KEY).when().get("/admin/catalog").then()
                .body("refresh.last_error", containsString("HTTP 500"));

        // a source whose server drops the connection without answering
        MockUpstream.on("GET", "/catalog.json", ctx -> ctx.request().connection().close());
        refresh();
        assertTrue(catalog.current().exact("openai", "gpt-9").isPresent(), "an unreachable source changes nothing");
        assertEquals(before + 3, failures());
        given().auth().oauth2(MockUpstream.MASTER_KEY).when().get("/admin/catalog").then()
                .body("refresh.last_error", notNullValue())
                .body("models.find { it.id == 'openai/gpt-9' }.source", equalTo("url"));
    }
}
