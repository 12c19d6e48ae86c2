package dev.sluice.routing;

import dev.sluice.testing.MockUpstream;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.sluice.routing.RoutingTest.body;
import static dev.sluice.routing.RoutingTest.chat;
import static dev.sluice.routing.RoutingTest.deployment;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A LiteLLM proxy config.yaml (src/test/resources/routing/litellm-config.yaml) with three model groups, fallbacks,
 * a context-window fallback and an alias loads and routes as LiteLLM documents it, and what Sluice does not apply
 * is reported.
 */
@QuarkusTest
@WithTestResource(MockUpstream.class)
class LiteLlmRoutingTest {

    static final String A = "/lite/a/v1/chat/completions";
    static final String B = "/lite/b/v1/chat/completions";
    static final String MINI = "/lite/mini/v1/chat/completions";
    static final String LONG = "/lite/long/v1/chat/completions";

    @BeforeEach
    void reset() {
        MockUpstream.reset();
        given().auth().oauth2(MockUpstream.MASTER_KEY).post("/admin/routes/reset").then().statusCode(200);
    }

    @Test
    void aModelGroupSharesTrafficByWeightWithEachDeploymentsOwnKey() {
        for (int i = 0; i < 60; i++) {
            chat(body("lite-gpt")).then().statusCode(200);
        }
        long a = MockUpstream.count(A);
        long b = MockUpstream.count(B);
        assertEquals(60, a + b);
        assertTrue(a > b && b > 0, "weights 3:1 → a=" + a + ", b=" + b);
        assertEquals("Bearer sk-lite-key-a-0123456789", MockUpstream.last(A).headers().get("authorization"),
                "os.environ/LITE_KEY_A, from the file's environment_variables");
        assertEquals("Bearer sk-lite-key-b-0123456789", MockUpstream.last(B).headers().get("authorization"));
        assertEquals("gpt-4o", MockUpstream.last(A).json().getString("model"), "the provider prefix is not sent");
    }

    @Test
    void aModelGroupAliasRoutesToItsGroup() {
        Response r = chat(body("gpt-4-lite"));
        r.then().statusCode(200);
        assertTrue(List.of("lite-a", "lite-b").contains(r.header("x-sluice-deployment")));
    }

    @Test
    void afterNumRetriesTheGroupFallsBackToItsFallback() {
        MockUpstream.on("POST", A, MockUpstream.serverError());
        MockUpstream.on("POST", B, MockUpstream.serverError());

        Response r = chat(body("lite-gpt"));

        r.then().statusCode(200);
        assertEquals("lite-mini", r.header("x-sluice-deployment"));
        assertEquals("3", r.header("x-sluice-attempts"), "num_retries: 1 → two attempts on lite-gpt, then lite-mini");
        assertEquals("gpt-4o-mini", MockUpstream.last(MINI).json().getString("model"));
    }

    @Test
    void aContextWindowErrorGoesToTheContextWindowFallback() {
        MockUpstream.on("POST", MINI, MockUpstream.json(400, "{\"error\":{\"message\":\"This model's maximum context "
                + "length is 128000 tokens. However, your messages resulted in 130000 tokens.\","
                + "\"type\":\"invalid_request_error\",\"param\":\"messages\",\"code\":\"context_length_exceeded\"}}"));

        Response r = chat(body("lite-mini"));

        r.then().statusCode(200);
        assertEquals("lite-long-1", r.header("x-sluice-deployment"));
        assertEquals("gpt-4.1", MockUpstream.last(LONG).json().getString("model"),
                "a bare model name is mapped to its provider by Sluice's model rules");
    }

    @Test
    void settingsAreMappedAndWhatSluiceDoesNotApplyIsReported() {
        JsonPath routes = given().auth().oauth2(MockUpstream.MASTER_KEY).get("/admin/routes").then().statusCode(200)
                .extract().jsonPath();
        List<String> warnings = routes.getList("warnings");
        String all = String.join("\n", warnings);
        for (String reported : List.of("router_settings.redis_host", "litellm_settings.success_callback",
                "litellm_settings.drop_params", "general_settings.master_key", "litellm_params.temperature",
                "vertex_ai", "SLUICE_TEST_UNSET_LITELLM_VARIABLE")) {
            assertTrue(all.contains(reported), reported + " is reported in:\n" + all);
        }
        Map<String, Object> group = routes.getMap("groups.find { it.name == 'lite-gpt' }");
        assertEquals(1, group.get("retries"), "num_retries");
        assertEquals(List.of("gpt-4-lite"), group.get("aliases"));
        assertEquals(List.of("lite-mini"), group.get("fallbacks"));
        assertEquals(Map.of("window", 3, "failure_ratio", 1.0f, "open_for_ms", 1000, "probes", 1), group.get("breaker"),
                "allowed_fails: 2 → open after 3 failures in a row; cooldown_time: 1 → open for 1s");
        assertEquals(5000, deployment("lite-a").getInt("timeouts.total_ms"), "litellm_settings.request_timeout");
        assertEquals(2000, deployment("lite-b").getInt("timeouts.total_ms"), "litellm_params.timeout");
        assertEquals(10000, deployment("lite-a").getInt("rpm"));
        assertEquals("unusable", deployment("lite-long-2").getString("state"));
        assertEquals(1, deployment("lite-long-1").getInt("priority"), "order: 1");
        assertEquals(2, deployment("lite-long-2").getInt("priority"), "no order: after the ordered deployments");
    }

    @Test
    void defaultFallbacksCatchEveryGroupWithoutFallbacksOfItsOwn() throws Exception {
        Path file = MockUpstream.routingFile("litellm-config.yaml");
        String original = Files.readString(file);
        try {
            Files.writeString(file, original.replace("router_settings:\n",
                    "router_settings:\n  default_fallbacks: [\"lite-gpt\"]\n"));
            given().auth().oauth2(MockUpstream.MASTER_KEY).post("/admin/routes/reload").then().statusCode(200);
            MockUpstream.on("POST", LONG, MockUpstream.serverError());

            Response r = RoutingClient.within(RoutingClient.ENDS, () -> chat(body("lite-long")));

            r.then().statusCode(200);
            assertTrue(List.of("lite-a", "lite-b").contains(r.header("x-sluice-deployment")), r.header("x-sluice-deployment"));
            assertEquals("3", r.header("x-sluice-attempts"), "num_retries: 1 on lite-long, then the default fallback");
            assertEquals(2, MockUpstream.count(LONG));
            Response unset = RoutingClient.within(RoutingClient.ENDS, () -> chat(body("lite-unset")));
            unset.then().statusCode(200);
            assertTrue(List.of("lite-a", "lite-b").contains(unset.header("x-sluice-deployment")),
                    "a group with no usable deployment goes to the default fallback too");
            JsonPath routes = given().auth().oauth2(MockUpstream.MASTER_KEY).get("/admin/routes").then()
                    .statusCode(200).extract().jsonPath();
            assertEquals(List.of("lite-gpt"), routes.getList("groups.find { it.name == 'lite-long' }.fallbacks"));
            assertEquals(List.of("lite-mini"), routes.getList("groups.find { it.name == 'lite-gpt' }.fallbacks"),
                    "a group's own fallbacks win over the defaults");
            assertTrue(RoutingClient.metrics().contains("sluice_routing_fallbacks_total{from=\"lite-long\","
                    + "reason=\"exhausted\",to=\"lite-gpt\"}"));
        } finally {
            Files.writeString(file, original);
            given().auth().oauth2(MockUpstream.MASTER_KEY).post("/admin/routes/reload").then().statusCode(200);
        }
    }

    @Test
    void aGroupWithNoUsableDeploymentAnswers503SayingWhy() {
        Response r = chat(body("lite-unset"));
        r.then().statusCode(503);
        assertEquals("no_deployment_available", r.jsonPath().getString("error.code"));
        assertTrue(r.jsonPath().getString("error.message").contains("SLUICE_TEST_UNSET_LITELLM_VARIABLE"),
                r.asString());
    }
}
