package dev.sluice.ops;

import dev.sluice.testing.MockUpstream;
import dev.sluice.testing.VirtualKeys;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Health, metrics and the API description, as Kubernetes and Prometheus see them. */
@QuarkusTest
@WithTestResource(MockUpstream.class)
class OperationsTest {

    @BeforeEach
    void reset() {
        MockUpstream.reset();
    }

    @Test
    void healthIsOpenAndReadinessDoesNotDependOnProviders() {
        given().when().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        given().when().get("/q/health/started").then().statusCode(200);
        // 'broken' and 'nowhere' providers are down, yet the gateway is ready
        given().when().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.name", hasItem("configuration"))
                .body("checks.find { it.name == 'store' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'store' }.data.database", equalTo("sqlite"));
    }

    @Test
    void requestsTokensOverheadAndUpstreamErrorsAreExposedToPrometheus() {
        given().auth().oauth2(MockUpstream.MASTER_KEY).contentType(ContentType.JSON)
                .body("{\"model\":\"openai/gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}")
                .when().post("/v1/chat/completions").then().statusCode(200);
        given().auth().oauth2(MockUpstream.MASTER_KEY).contentType(ContentType.JSON)
                .body("{\"model\":\"broken/x\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}")
                .when().post("/v1/chat/completions").then().statusCode(502);
        String metrics = given().auth().oauth2(MockUpstream.MASTER_KEY).when().get("/q/metrics").then().statusCode(200)
                .extract().asString();
        assertTrue(metrics.contains("sluice_requests_total{model=\"openai/gpt-4o\",operation=\"chat\",provider=\"openai\",status=\"200\"}"),
                metrics.lines().filter(l -> l.startsWith("sluice_requests")).toList().toString());
        assertTrue(metrics.contains("status=\"502\""));
        assertTrue(metrics.contains("sluice_overhead_seconds_bucket{operation=\"chat\",stream=\"false\",le=\"0.001\"}"));
        assertTrue(metrics.contains("sluice_upstream_duration_seconds_count{provider=\"openai\"}"));
        assertTrue(metrics.contains("sluice_tokens_total{model=\"openai/gpt-4o\",provider=\"openai\",type=\"prompt\"}"));
        assertTrue(metrics.contains("sluice_upstream_errors_total{kind=\"server_error\",provider=\"broken\"}"));
        assertTrue(metrics.contains("sluice_request_duration_seconds_count{operation=\"chat\",provider=\"openai\",stream=\"false\"}"));
    }

    @Test
    void theOpenApiDocumentDescribesTheApi() {
        given().accept("application/json").when().get("/q/openapi").then().statusCode(200)
                .body("paths", org.hamcrest.Matchers.hasKey("/v1/chat/completions"))
                .body("paths", org.hamcrest.Matchers.hasKey("/v1/extract"));
        given().when().get("/q/swagger-ui/").then().statusCode(swaggerUiStatus());
    }

    /** Swagger UI is on in the dev and test profiles (200) and off in production (404, see OperationsIT). */
    int swaggerUiStatus() {
        return 200;
    }

    @Test
    void metricsAreForTheOperatorOnly() {
        given().when().get("/q/metrics").then().statusCode(401).contentType(ContentType.JSON)
                .body("error.code", equalTo("missing_api_key"));
        VirtualKeys.Key key = VirtualKeys.create("{\"name\":\"scraper-wannabe\"}");
        given().auth().oauth2(key.secret()).when().get("/q/metrics").then().statusCode(403)
                .body("error.code", equalTo("metrics_forbidden"));
        given().auth().oauth2(MockUpstream.MASTER_KEY).when().get("/q/metrics").then().statusCode(200);
    }

    @Test
    void swaggerUiIsOffByDefaultOutsideDevAndTest() throws Exception {
        java.util.Properties defaults = new java.util.Properties();
        try (var in = getClass().getResourceAsStream("/application.properties")) {
            defaults.load(in);
        }
        assertEquals("false", defaults.getProperty("quarkus.swagger-ui.enabled"));
    }

    @Test
    void clientChosenModelNamesCannotCreateSeries() {
        VirtualKeys.Key key = VirtualKeys.create("{\"name\":\"cardinality\",\"models\":[\"openai/gpt-4o\"]}");
        for (int i = 0; i < 20; i++) {
            given().auth().oauth2(key.secret()).contentType(ContentType.JSON)
                    .body("{\"model\":\"openai/invented-" + i + "\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}")
                    .when().post("/v1/chat/completions").then().statusCode(403);
            given().auth().oauth2(MockUpstream.MASTER_KEY).contentType(ContentType.JSON)
                    .body("{\"model\":\"broken/invented-" + i + "\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}")
                    .when().post("/v1/chat/completions").then().statusCode(502);
        }
        String metrics = given().auth().oauth2(MockUpstream.MASTER_KEY).when().get("/q/metrics").then().statusCode(200)
                .extract().asString();
        assertFalse(metrics.contains("invented-"), "no series for a name no upstream served: " + metrics.lines()
                .filter(l -> l.contains("invented-")).limit(5).toList());
        assertTrue(metrics.contains("sluice_requests_total{model=\"other\",operation=\"chat\",provider=\"openai\",status=\"403\"}"),
                metrics.lines().filter(l -> l.startsWith("sluice_requests")).toList().toString());
    }
}
