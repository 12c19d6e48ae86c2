package dev.sluice.routing;

import dev.sluice.testing.MockUpstream;
import dev.sluice.testing.Sse;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.sluice.routing.RoutingTest.body;
import static dev.sluice.routing.RoutingTest.chat;
import static dev.sluice.testing.MockUpstream.chunk;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The routing admin API and configuration reloads. */
@QuarkusTest
@WithTestResource(MockUpstream.class)
class RoutesAdminTest {

    static String original;

    @BeforeEach
    void reset() throws Exception {
        MockUpstream.reset();
        if (original == null) {
            original = Files.readString(reloadFile());
        }
    }

    @AfterEach
    void restore() throws Exception {
        Files.writeString(reloadFile(), original);
        given().auth().oauth2(MockUpstream.MASTER_KEY).post("/admin/routes/reload").then().statusCode(200);
    }

    static Path reloadFile() {
        return MockUpstream.routingFile("reload.yaml");
    }

    @Test
    void routesNeedTheMasterKey() {
        given().get("/admin/routes").then().statusCode(401);
        given().auth().oauth2("sk-not-the-master-key").get("/admin/routes").then().statusCode(401);
        given().auth().oauth2("sk-not-the-master-key").post("/admin/routes/reload").then().statusCode(401);
    }

    @Test
    void routesShowEveryGroupAndDeploymentWithItsHealth() {
        MockUpstream.on("POST", "/rt/pair-primary/v1/chat/completions", MockUpstream.serverError());
        chat(body("pair")).then().statusCode(200);

        JsonPath routes = given().auth().oauth2(MockUpstream.MASTER_KEY).get("/admin/routes").then().statusCode(200)
                .extract().jsonPath();
        assertTrue(routes.getList("groups.name").containsAll(List.of("pair", "solo", "burst", "lite-gpt", "reloadable")));
        assertTrue(routes.getList("providers.id").contains("openai"), "plain model names' providers are listed too");
        JsonPath primary = RoutingTest.deployment("pair-primary");
        assertEquals("healthy", primary.getString("state"));
        assertEquals("closed", primary.getString("breaker"));
        assertEquals(0, primary.getInt("in_flight"));
        assertEquals("SERVER_ERROR", primary.getString("recent_errors[0].kind"));
        assertEquals(500, primary.getInt("recent_errors[0].status"));
        assertTrue(RoutingTest.deployment("pair-secondary").getDouble("ttfb_ewma_ms") > 0);
        assertEquals(1000, primary.getInt("timeouts.first_byte_ms"));
    }

    @Test
    void theModelListShowsGroupsAndTheirAliases() {
        given().auth().oauth2(MockUpstream.MASTER_KEY).get("/v1/models").then().statusCode(200)
                .body("data.id", hasItems("pair", "lite-gpt", "gpt-4-lite", "fallback-alias"));
        given().auth().oauth2(MockUpstream.MASTER_KEY).get("/v1/models/pair").then().statusCode(200)
                .body("owned_by", equalTo("sluice"));
    }

    @Test
    void aReloadAppliesTheNewFileAndRequestsInFlightKeepTheirRoute() throws Exception {
        // a stream on the group is in flight when the group is removed
        CompletableFuture<Void> firstChunkSent = new CompletableFuture<>();
        MockUpstream.on("POST", "/rt/reloadable-1/v1/chat/completions", ctx -> {
            ctx.response().setChunked(true).putHeader("content-type", "text/event-stream");
            ctx.response().write("data: " + chunk("{\"role\":\"assistant\",\"content\":\"before\"}", null) + "\n\n");
            firstChunkSent.complete(null);
            MockUpstream.vertx().setTimer(800, t -> {
                ctx.response().write("data: " + chunk("{\"content\":\" after\"}", null) + "\n\n");
                ctx.response().end("data: [DONE]\n\n");
            });
        });
        CompletableFuture<Sse.Result> inFlight = CompletableFuture.supplyAsync(() -> {
            try {
                return Sse.send(Sse.post("/v1/chat/completions", RoutingTest.streamBody("reloadable")).build());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        firstChunkSent.get(5, TimeUnit.SECONDS);

        Files.writeString(reloadFile(), """
                groups:
                  reloaded:
                    deployments:
                      - {id: reloaded-1, provider: openai, model: gpt-4o-mini, base-url: "${mock.url}/rt/reloaded-1/v1"}
                """);
        given().auth().oauth2(MockUpstream.MASTER_KEY).post("/admin/routes/reload").then().statusCode(200);

        Sse.Result result = inFlight.get(10, TimeUnit.SECONDS);
        assertEquals(200, result.status());
        assertEquals(" after", result.chunks().get(1).getJsonArray("choices").getJsonObject(0).getJsonObject("delta")
                .getString("content"), "the stream in flight finished on its old route");
        assertTrue(result.events().get(result.events().size() - 1).done());

        chat(body("reloadable")).then().statusCode(404);
        chat(body("reloaded")).then().statusCode(200).header("x-sluice-deployment", "reloaded-1");
    }

    @Test
    void aChangedFileIsPickedUpWithoutAnAdminCall() throws Exception {
        Files.writeString(reloadFile(), original.replace("reloadable:", "watched:"));
        long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        int status = 0;
        while (System.nanoTime() < until && (status = chat(body("watched")).statusCode()) != 200) {
            Thread.sleep(100);
        }
        assertEquals(200, status, "the file watcher reloaded the routing");
    }

    @Test
    void aBrokenFileIsRefusedAndTheRoutingInForceStays() throws Exception {
        Files.writeString(reloadFile(), """
                groups:
                  reloadable:
                    retires: 3
                    deployments:
                      - {id: reloadable-1, provider: openai, model: gpt-4o, weight: heavy}
                """);
        given().auth().oauth2(MockUpstream.MASTER_KEY).post("/admin/routes/reload").then().statusCode(422)
                .body("error.code", equalTo("invalid_routing_config"))
                .body("error.message", containsString("groups.reloadable.retires: unknown setting"))
                .body("error.message", containsString("groups.reloadable.deployments[0].weight: expected a number"));
        chat(body("reloadable")).then().statusCode(200).header("x-sluice-deployment", "reloadable-1");
        given().auth().oauth2(MockUpstream.MASTER_KEY).get("/admin/routes").then()
                .body("groups.name", hasItem("reloadable")).body("groups.name", not(hasItem("nothing")));
    }

    @Test
    void resettingAnUnknownDeploymentIs404() {
        given().auth().oauth2(MockUpstream.MASTER_KEY).post("/admin/routes/deployments/no-such-deployment/reset")
                .then().statusCode(404).body("error.code", equalTo("deployment_not_found"));
    }
}
