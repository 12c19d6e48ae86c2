package dev.sluice.extract;

import dev.sluice.testing.MockUpstream;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Extraction never runs on a Vert.x event loop, whichever way it is reached: a fetched page, HTML the caller
 * sent, a batch, a GET, and retrieval for chat. The application's real extractor records its threads.
 */
@QuarkusTest
@TestProfile(ObservedExtractionProfile.class)
@WithTestResource(MockUpstream.class)
class ExtractionThreadTest {

    @BeforeEach
    void reset() {
        MockUpstream.reset();
        ObservedExtractor.reset();
        MockUpstream.on("GET", "/pages/tides", MockUpstream.html(ExtractApiTest.ARTICLE));
        MockUpstream.on("POST", "/openai/v1/chat/completions", MockUpstream.json(200,
                MockUpstream.completion("Twice a day [1].")));
    }

    @Test
    void everyExtractionRunsOnAWorkerThread() {
        String url = MockUpstream.pageUrl("/pages/tides");
        given().auth().oauth2(MockUpstream.MASTER_KEY).contentType(ContentType.JSON)
                .body("{\"url\":\"" + url + "?one\",\"no_cache\":true}")
                .when().post("/v1/extract").then().statusCode(200).body("title", containsString("Tides Explained"));
        given().auth().oauth2(MockUpstream.MASTER_KEY).contentType(ContentType.JSON)
                .body(JsonObject.of("html", ExtractApiTest.ARTICLE, "url", "https://ocean.example/html").encode())
                .when().post("/v1/extract").then().statusCode(200);
        given().auth().oauth2(MockUpstream.MASTER_KEY).contentType(ContentType.JSON)
                .body(JsonObject.of("urls", JsonArray.of(url + "?batch-a", url + "?batch-b"), "no_cache", true).encode())
                .when().post("/v1/extract").then().statusCode(200).body("data.size()", equalTo(2));
        given().auth().oauth2(MockUpstream.MASTER_KEY).accept("text/markdown").queryParam("url", url + "?get")
                .queryParam("no_cache", true)
                .when().get("/v1/extract").then().statusCode(200);
        given().auth().oauth2(MockUpstream.MASTER_KEY).contentType(ContentType.JSON)
                .body(new JsonObject().put("model", "openai/gpt-4o")
                        .put("messages", JsonArray.of(JsonObject.of("role", "user", "content", "When are tides?")))
                        .put("web_extract", JsonObject.of("urls", JsonArray.of(url + "?rag"))).encode())
                .when().post("/v1/chat/completions").then().statusCode(200)
                .body("sources[0].status", equalTo("used"));

        List<ObservedExtractor.Call> calls = ObservedExtractor.calls();
        assertEquals(List.of(url + "?one", "https://ocean.example/html", url + "?batch-a", url + "?batch-b",
                        url + "?get", url + "?rag"),
                calls.stream().map(ObservedExtractor.Call::url).sorted(ExtractionThreadTest::inRequestOrder).toList(),
                "every request reached the extractor once");
        for (ObservedExtractor.Call call : calls) {
            assertFalse(call.eventLoop(), call + " ran on an event loop");
            assertFalse(call.thread().contains("eventloop"), call.toString());
            assertTrue(call.thread().startsWith("executor-thread"), "the worker pool: " + call);
        }
    }

    private static final List<String> ORDER = List.of("?one", "/html", "?batch-a", "?batch-b", "?get", "?rag");

    private static int inRequestOrder(String a, String b) {
        return Integer.compare(position(a), position(b));
    }

    private static int position(String url) {
        for (int i = 0; i < ORDER.size(); i++) {
            if (url.endsWith(ORDER.get(i))) {
                return i;
            }
        }
        return ORDER.size();
    }
}
