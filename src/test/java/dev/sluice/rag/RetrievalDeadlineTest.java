package dev.sluice.rag;

import dev.sluice.extract.ObservedExtractionProfile;
import dev.sluice.extract.ObservedExtractor;
import dev.sluice.testing.MockUpstream;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One deadline per request ({@code sluice.rag.timeout}, 1500 ms here) covers fetching and extracting every page:
 * a page whose body trickles in, or whose extraction takes long, past it is a {@code fetch_timeout} source and the
 * chat runs with the others; with {@code required: true} the request fails naming the page.
 */
@QuarkusTest
@TestProfile(ObservedExtractionProfile.class)
@WithTestResource(MockUpstream.class)
class RetrievalDeadlineTest {

    static final String COMPLETIONS = "/openai/v1/chat/completions";
    /** Far above the deadline, far below anything that would mean "hangs". */
    static final Duration GENEROUS = Duration.ofSeconds(20);

    @BeforeEach
    void reset() {
        MockUpstream.reset();
        ObservedExtractor.reset();
        MockUpstream.on("GET", "/pages/moon", MockUpstream.html(RetrievalTest.MOON_PAGE));
        MockUpstream.on("GET", "/pages/heavy", MockUpstream.html(RetrievalTest.MOON_PAGE.replace("Moon Facts",
                "Heavy Moon Facts")));
        // sends its head at once, then a byte every 200 ms, and never ends
        MockUpstream.on("GET", "/pages/trickle", ctx -> {
            ctx.response().setChunked(true).putHeader("content-type", "text/html")
                    .write("<html><head><title>Slow</title></head><body><p>The Moon raises tides.");
            long timer = MockUpstream.vertx().setPeriodic(200, id -> {
                if (!ctx.response().closed()) {
                    ctx.response().write(" ");
                }
            });
            ctx.response().closeHandler(v -> MockUpstream.vertx().cancelTimer(timer));
        });
        MockUpstream.on("POST", COMPLETIONS, MockUpstream.json(200, MockUpstream.completion("The Moon [1].")));
    }

    @AfterEach
    void calm() {
        ObservedExtractor.reset();
    }

    private static String request(String webExtract) {
        return new JsonObject().put("model", "openai/gpt-4o")
                .put("messages", JsonArray.of(JsonObject.of("role", "user", "content", "What raises the tides?")))
                .put("web_extract", new JsonObject(webExtract)).encode();
    }

    private static String urls(String... paths) {
        JsonArray a = new JsonArray();
        for (String p : paths) {
            a.add(MockUpstream.pageUrl(p));
        }
        return a.encode();
    }

    @Test
    void aPageWhoseBodyRunsOverTheDeadlineIsAFetchTimeoutAndTheChatStillRuns() {
        long start = System.nanoTime();
        given().auth().oauth2(MockUpstream.MASTER_KEY).contentType(ContentType.JSON)
                .body(request("{\"urls\":" + urls("/pages/moon", "/pages/trickle") + "}"))
                .when().post("/v1/chat/completions")
                .then().statusCode(200)
                .body("sources[0].status", equalTo("used"))
                .body("sources[1].url", equalTo(MockUpstream.pageUrl("/pages/trickle")))
                .body("sources[1].status", equalTo("error"))
                .body("sources[1].error.code", equalTo("fetch_timeout"))
                .body("sources[1].error.message", containsString(ObservedExtractionProfile.RAG_DEADLINE_MS + " ms"))
                .body("usage.web_extract.pages", equalTo(1));
        long elapsed = System.nanoTime() - start;
        assertTrue(elapsed < GENEROUS.toNanos(), "the request did not hang: " + elapsed / 1_000_000 + " ms");
        String injected = MockUpstream.last(COMPLETIONS).json().getJsonArray("messages").getJsonObject(0)
                .getString("content");
        assertTrue(injected.contains("orbits the Earth every 27.3 days"), injected);
        assertFalse(injected.contains("Slow"), "nothing of the late page is injected");
    }

    @Test
    void aPageWhoseExtractionRunsOverTheDeadlineIsAFetchTimeoutToo() {
        ObservedExtractor.slowDown("/pages/heavy", Duration.ofMillis(ObservedExtractionProfile.RAG_DEADLINE_MS * 3));
        given().auth().oauth2(MockUpstream.MASTER_KEY).contentType(ContentType.JSON)
                .body(request("{\"urls\":" + urls("/pages/moon", "/pages/heavy") + "}"))
                .when().post("/v1/chat/completions")
                .then().statusCode(200)
                .body("sources[0].status", equalTo("used"))
                .body("sources[1].status", equalTo("error"))
                .body("sources[1].error.code", equalTo("fetch_timeout"))
                .body("sources[1].error.message", containsString("fetched and extracted"));
        assertTrue(MockUpstream.received().stream().anyMatch(r -> r.path().equals("/pages/heavy")),
                "the page itself arrived in time: the extraction is what ran over");
        assertFalse(MockUpstream.last(COMPLETIONS).json().getJsonArray("messages").getJsonObject(0)
                .getString("content").contains("Heavy Moon Facts"));
    }

    @Test
    void withRequiredALatePageFailsTheRequestNamingIt() {
        given().auth().oauth2(MockUpstream.MASTER_KEY).contentType(ContentType.JSON)
                .body(request("{\"urls\":" + urls("/pages/moon", "/pages/trickle") + ",\"required\":true}"))
                .when().post("/v1/chat/completions")
                .then().statusCode(422)
                .body("error.code", equalTo("web_extract_failed"))
                .body("error.message", containsString(MockUpstream.pageUrl("/pages/trickle")))
                .body("error.message", containsString("deadline"));
        assertTrue(MockUpstream.received().stream().noneMatch(r -> r.path().equals(COMPLETIONS)),
                "the model is not called");
    }
}
