package dev.sluice.rag;

import dev.sluice.testing.MockUpstream;
import dev.sluice.testing.Sse;
import dev.sluice.tokens.TokenCounter;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static dev.sluice.testing.MockUpstream.chunk;
import static dev.sluice.testing.MockUpstream.usageChunk;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code web_extract} end to end: a local page server, a mock model that records what it was sent. */
@QuarkusTest
@WithTestResource(MockUpstream.class)
class RetrievalTest {

    static final String COMPLETIONS = "/openai/v1/chat/completions";

    @Inject
    TokenCounter tokens;

    static String filler(String topic, int paragraphs) {
        StringBuilder s = new StringBuilder();
        for (int p = 0; p < paragraphs; p++) {
            s.append("<p>");
            for (int i = 0; i < 6; i++) {
                s.append("Paragraph ").append(p).append(" sentence ").append(i).append(" describes ").append(topic)
                        .append(" with plenty of ordinary words that answer nothing in particular. ");
            }
            s.append("</p>\n");
        }
        return s.toString();
    }

    static final String LONG_PAGE = "<html><head><title>The Ocean Handbook</title></head><body><article>"
            + "<h1>The Ocean Handbook</h1><h2>Waves</h2>" + filler("surface waves and wind", 12)
            + "<h2>Tides</h2><p>Spring tides occur at new moon and full moon, when the Sun and the Moon pull in the "
            + "same line and the tidal range is largest.</p>"
            + "<h2>Currents</h2>" + filler("ocean currents and salinity", 12) + "</article></body></html>";

    static final String MOON_PAGE = "<html><head><title>Moon Facts</title></head><body><main><h1>Moon Facts</h1>"
            + "<p>The Moon orbits the Earth every 27.3 days. Its gravity raises the tides that sweep around the "
            + "planet twice a day.</p></main></body></html>";

    @BeforeEach
    void reset() {
        MockUpstream.reset();
        MockUpstream.on("GET", "/pages/handbook", MockUpstream.html(LONG_PAGE));
        MockUpstream.on("GET", "/pages/moon", MockUpstream.html(MOON_PAGE));
        MockUpstream.on("POST", COMPLETIONS, MockUpstream.json(200,
                MockUpstream.completion("Spring tides happen at new and full moon [1], as the Moon's pull adds up [2].")));
    }

    private static String request(String webExtract, boolean stream, String question) {
        return new JsonObject()
                .put("model", "openai/gpt-4o")
                .put("stream", stream)
                .put("messages", new JsonArray()
                        .add(new JsonObject().put("role", "system").put("content", "You are terse."))
                        .add(new JsonObject().put("role", "user").put("content", "Hello"))
                        .add(new JsonObject().put("role", "assistant").put("content", "Hi! Ask away."))
                        .add(new JsonObject().put("role", "user").put("content", question)))
                .put("web_extract", new JsonObject(webExtract))
                .encode();
    }

    private static String urls(String... paths) {
        JsonArray a = new JsonArray();
        for (String p : paths) {
            a.add(p.startsWith("http") ? p : MockUpstream.pageUrl(p));
        }
        return a.encode();
    }

    @Test
    void theBestPassagesAreInjectedRightAboveTheLastUserMessageAndCited() {
        String answer = given().auth().oauth2(MockUpstream.MASTER_KEY).contentType(ContentType.JSON)
                .body(request("{\"urls\":" + urls("/pages/handbook", "/pages/moon") + ",\"max_tokens\":400}", false,
                        "When do spring tides occur?"))
                .when().post("/v1/chat/completions")
                .then().statusCode(200)
                .body("sources[0].index", equalTo(1))
                .body("sources[0].url", equalTo(MockUpstream.pageUrl("/pages/handbook")))
                .body("sources[0].title", equalTo("The Ocean Handbook"))
                .body("sources[0].status", equalTo("used"))
                .body("sources[1].title", equalTo("Moon Facts"))
                .body("usage.web_extract.pages", equalTo(2))
                .extract().asString();

        JsonObject sent = MockUpstream.last(COMPLETIONS).json();
        assertFalse(sent.containsKey("web_extract"), "the extension never reaches the provider");
        JsonArray messages = sent.getJsonArray("messages");
        assertEquals(5, messages.size());
        JsonObject injected = messages.getJsonObject(3);
        assertEquals("system", injected.getString("role"));
        assertEquals("When do spring tides occur?", messages.getJsonObject(4).getString("content"));
        String context = injected.getString("content");
        assertTrue(context.contains("[1] The Ocean Handbook — " + MockUpstream.pageUrl("/pages/handbook")), context);
        assertTrue(context.contains("[2] Moon Facts — " + MockUpstream.pageUrl("/pages/moon")), context);
        assertTrue(context.contains("Spring tides occur at new moon and full moon"), "the answering passage is chosen");
        assertFalse(context.contains("surface waves and wind"), "irrelevant passages are not: " + context);
        assertTrue(context.contains("cite each source you use with its number in square brackets"));

        JsonObject completion = new JsonObject(answer);
        int injectedTokens = completion.getJsonObject("usage").getJsonObject("web_extract").getInteger("injected_tokens");
        assertEquals(tokens.count(context, "openai", "gpt-4o"), injectedTokens);
        assertTrue(injectedTokens <= 400);
        JsonArray annotations = completion.getJsonArray("choices").getJsonObject(0).getJsonObject("message")
                .getJsonArray("annotations");
        String content = completion.getJsonArray("choices").getJsonObject(0).getJsonObject("message").getString("content");
        assertEquals(2, annotations.size());
        JsonObject first = annotations.getJsonObject(0).getJsonObject("url_citation");
        assertEquals("[1]", content.substring(first.getInteger("start_index"), first.getInteger("end_index")));
        assertEquals(MockUpstream.pageUrl("/pages/handbook"), first.getString("url"));
        assertEquals("Moon Facts", annotations.getJsonObject(1).getJsonObject("url_citation").getString("title"));
    }

    @Test
    void theTokenBudgetIsRespected() {
        for (int budget : new int[] {150, 600, 2000}) {
            given().auth().oauth2(MockUpstream.MASTER_KEY).contentType(ContentType.JSON)
                    .body(request("{\"urls\":" + urls("/pages/handbook") + ",\"max_tokens\":" + budget + "}", false,
                            "Tell me about waves, tides and currents"))
                    .when().post("/v1/chat/completions").then().statusCode(200);
            JsonArray messages = MockUpstream.last(COMPLETIONS).json().getJsonArray("messages");
            assertEquals(5, messages.size(), "something was injected for a budget of " + budget);
            JsonObject injected = messages.getJsonObject(3);
            assertEquals("system", injected.getString("role"));
            String context = injected.getString("content");
            assertTrue(context.startsWith(ContextBuilder.INSTRUCTION), context);
            assertTrue(context.contains("[1] The Ocean Handbook — "), context);
            assertEquals("Tell me about waves, tides and currents", messages.getJsonObject(4).getString("content"));
            int count = tokens.count(context, "openai", "gpt-4o");
            assertTrue(count <= budget, count + " tokens injected for a budget of " + budget);
        }
    }

    @Test
    void autoPicksUpTheUrlsOfTheLastUserMessage() {
        given().auth().oauth2(MockUpstream.MASTER_KEY).contentType(ContentType.JSON)
                .body(request("{\"auto\":true}", false, "Summarise " + MockUpstream.pageUrl("/pages/moon") + ", please."))
                .when().post("/v1/chat/completions")
                .then().statusCode(200)
                .body("sources.size()", equalTo(1))
                .body("sources[0].url", equalTo(MockUpstream.pageUrl("/pages/moon")));
        assertTrue(MockUpstream.last(COMPLETIONS).json().getJsonArray("messages").getJsonObject(3).getString("content")
                .contains("orbits the Earth every 27.3 days"));
    }

    @Test
    void aPageThatCannotBeUsedIsReportedAndTheChatStillRuns() {
        given().auth().oauth2(MockUpstream.MASTER_KEY).contentType(ContentType.JSON)
                .body(request("{\"urls\":" + urls("/pages/moon", "http://169.254.169.254/latest/meta-data/",
                        "/pages/gone") + "}", false, "What raises the tides?"))
                .when().post("/v1/chat/completions")
                .then().statusCode(200)
                .body("sources[0].status", equalTo("used"))
                .body("sources[1].status", equalTo("error"))
                .body("sources[1].error.code", equalTo("url_not_allowed"))
                .body("sources[2].error.code", equalTo("upstream_status"))
                .body("usage.web_extract.pages", equalTo(1));
    }

    @Test
    void emptyTooLargeAndUnreachablePagesAreReportedWithTheirReasonAndTheChatStillRuns() {
        MockUpstream.on("GET", "/pages/empty", MockUpstream.html("<html><head><title>Nothing</title></head><body>"
                + "<nav><a href=\"/\">Home</a></nav><div style=\"display:none\">hidden</div></body></html>"));
        String huge = "<html><body><p>" + "tide ".repeat(1_100_000) + "</p></body></html>"; // 5.5 MB > 5 MB cap
        MockUpstream.on("GET", "/pages/huge", MockUpstream.html(huge));
        String unreachable = "http://127.0.0.2:1/nothing-listens-here";
        given().auth().oauth2(MockUpstream.MASTER_KEY).contentType(ContentType.JSON)
                .body(request("{\"urls\":" + urls("/pages/moon", "/pages/empty", "/pages/huge", unreachable) + "}",
                        false, "What raises the tides?"))
                .when().post("/v1/chat/completions")
                .then().statusCode(200)
                .body("sources.size()", equalTo(4))
                .body("sources[0].status", equalTo("used"))
                .body("sources[1].status", equalTo("error"))
                .body("sources[1].error.code", equalTo("empty_page"))
                .body("sources[2].status", equalTo("error"))
                .body("sources[2].error.code", equalTo("too_large"))
                .body("sources[3].url", equalTo(unreachable))
                .body("sources[3].status", equalTo("error"))
                .body("sources[3].error.code", equalTo("fetch_failed"))
                .body("sources[3].error.message", containsString("connection refused"))
                .body("usage.web_extract.pages", equalTo(1));
        String context = MockUpstream.last(COMPLETIONS).json().getJsonArray("messages").getJsonObject(3)
                .getString("content");
        assertTrue(context.contains("[1] Moon Facts"), context);
        assertFalse(context.contains("[2]") || context.contains("[3]") || context.contains("[4]"),
                "failed pages are not listed as sources: " + context);
    }

    @Test
    void requiredFailsOnAnEmptyTooLargeOrUnreachablePageNamingItAndTheReason() {
        MockUpstream.on("GET", "/pages/empty", MockUpstream.html("<html><body><nav>Home</nav></body></html>"));
        MockUpstream.on("GET", "/pages/huge", MockUpstream.html("<p>" + "tide ".repeat(1_100_000) + "</p>"));
        String[][] cases = {
                {MockUpstream.pageUrl("/pages/empty"), "no readable content"},
                {MockUpstream.pageUrl("/pages/huge"), "larger than the"},
                {"http://127.0.0.2:1/", "connection refused"}};
        for (String[] c : cases) {
            given().auth().oauth2(MockUpstream.MASTER_KEY).contentType(ContentType.JSON)
                    .body(request("{\"urls\":" + urls("/pages/moon", c[0]) + ",\"required\":true}", false,
                            "What raises the tides?"))
                    .when().post("/v1/chat/completions")
                    .then().statusCode(422)
                    .body("error.code", equalTo("web_extract_failed"))
                    .body("error.param", equalTo("web_extract.urls"))
                    .body("error.message", containsString(c[0]))
                    .body("error.message", containsString(c[1]));
        }
        assertTrue(MockUpstream.received().stream().noneMatch(r -> r.path().equals(COMPLETIONS)),
                "the model is never called");
    }

    @Test
    void requiredFailsTheRequestNamingTheUrlAndReason() {
        given().auth().oauth2(MockUpstream.MASTER_KEY).contentType(ContentType.JSON)
                .body(request("{\"urls\":" + urls("/pages/moon", "http://10.0.0.7/internal") + ",\"required\":true}",
                        false, "What raises the tides?"))
                .when().post("/v1/chat/completions")
                .then().statusCode(422)
                .body("error.code", equalTo("web_extract_failed"))
                .body("error.message", containsString("http://10.0.0.7/internal"))
                .body("error.message", containsString("private network"));
        assertTrue(MockUpstream.received().stream().noneMatch(r -> r.path().equals(COMPLETIONS)),
                "the model is not called");
    }

    @Test
    void unknownOrInvalidOptionsAre400s() {
        given().auth().oauth2(MockUpstream.MASTER_KEY).contentType(ContentType.JSON)
                .body(request("{\"urls\":" + urls("/pages/moon") + ",\"top_k\":3}", false, "x"))
                .when().post("/v1/chat/completions")
                .then().statusCode(400).body("error.param", equalTo("web_extract.top_k"));
        given().auth().oauth2(MockUpstream.MASTER_KEY).contentType(ContentType.JSON)
                .body(request("{\"urls\":\"https://example.com\"}", false, "x"))
                .when().post("/v1/chat/completions")
                .then().statusCode(400).body("error.param", equalTo("web_extract.urls"));
        given().auth().oauth2(MockUpstream.MASTER_KEY).contentType(ContentType.JSON)
                .body(request("{\"urls\":" + urls("/pages/moon") + ",\"max_tokens\":-5}", false, "x"))
                .when().post("/v1/chat/completions")
                .then().statusCode(400).body("error.param", equalTo("web_extract.max_tokens"));
    }

    @Test
    void streamingCarriesSourcesOnTheFirstChunkAndAnnotationsOnTheLast() throws Exception {
        MockUpstream.on("POST", COMPLETIONS, MockUpstream.sse(Duration.ZERO,
                chunk("{\"role\":\"assistant\",\"content\":\"\"}", null),
                chunk("{\"content\":\"They occur at new and full moon [\"}", null),
                chunk("{\"content\":\"1].\"}", null),
                chunk("{}", "stop"), usageChunk(50, 12), "[DONE]"));
        Sse.Result result = Sse.send(Sse.post("/v1/chat/completions", new JsonObject(request("{\"urls\":"
                + urls("/pages/handbook") + "}", true, "When do spring tides occur?"))
                .put("stream_options", new JsonObject().put("include_usage", true)).encode()).build());

        List<JsonObject> chunks = result.chunks();
        assertEquals("The Ocean Handbook", chunks.get(0).getJsonArray("sources").getJsonObject(0).getString("title"));
        assertFalse(chunks.get(1).containsKey("sources"), "sources come once");
        JsonObject last = chunks.get(3).getJsonArray("choices").getJsonObject(0);
        assertEquals("stop", last.getString("finish_reason"));
        JsonObject citation = last.getJsonObject("delta").getJsonArray("annotations").getJsonObject(0)
                .getJsonObject("url_citation");
        String content = "They occur at new and full moon [1].";
        assertEquals("[1]", content.substring(citation.getInteger("start_index"), citation.getInteger("end_index")));
        assertEquals(1, chunks.get(4).getJsonObject("usage").getJsonObject("web_extract").getInteger("pages"));
        assertTrue(result.events().get(result.events().size() - 1).done());
    }
}
