package dev.sluice.extract;

import dev.sluice.testing.MockUpstream;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

@QuarkusTest
@WithTestResource(MockUpstream.class)
class ExtractApiTest {

    static final String ARTICLE = """
            <!doctype html><html lang="en"><head><title>Tides Explained | Ocean Notes</title>
            <meta property="og:site_name" content="Ocean Notes">
            <meta name="author" content="Ada Marin">
            <meta property="article:published_time" content="2026-03-14T09:00:00Z">
            <meta name="description" content="Why the sea rises and falls twice a day."></head>
            <body><nav><a href="/">Home</a> <a href="/about">About</a></nav>
            <article><h1>Tides Explained</h1>
            <p>Tides are the regular rise and fall of the sea caused by the gravity of the Moon and the Sun acting on
            the rotating Earth. Most coasts see two high tides and two low tides every lunar day.</p>
            <h2>Spring and neap tides</h2>
            <p>When the Sun and Moon line up, their pulls add up and produce <a href="/spring">spring tides</a>, the
            largest range of the month. At right angles they partly cancel, giving neap tides.</p>
            <ul><li>Spring tides: new and full moon</li><li>Neap tides: first and last quarter</li></ul>
            </article>
            <footer>Copyright Ocean Notes. <a href="/privacy">Privacy</a></footer></body></html>
            """;

    @BeforeEach
    void reset() {
        MockUpstream.reset();
        MockUpstream.on("GET", "/pages/tides", MockUpstream.html(ARTICLE));
    }

    @Test
    void aPageBecomesCleanMarkdownWithItsMetadata() {
        String url = MockUpstream.pageUrl("/pages/tides");
        given().auth().oauth2(MockUpstream.MASTER_KEY).contentType(ContentType.JSON)
                .body("{\"url\":\"" + url + "\",\"no_cache\":true}")
                .when().post("/v1/extract")
                .then().statusCode(200)
                .body("object", equalTo("extract"))
                .body("url", equalTo(url))
                .body("final_url", equalTo(url))
                .body("status", equalTo(200))
                .body("title", containsString("Tides Explained"))
                .body("byline", equalTo("Ada Marin"))
                .body("site_name", equalTo("Ocean Notes"))
                .body("published_time", startsWith("2026-03-14"))
                .body("lang", equalTo("en"))
                .body("excerpt", containsString("rises and falls"))
                .body("format", equalTo("markdown"))
                .body("content", containsString("## Spring and neap tides"))
                .body("content", containsString("- Spring tides: new and full moon"))
                .body("content", not(containsString("Privacy")))
                .body("content", not(containsString("About")))
                .body("word_count", org.hamcrest.Matchers.greaterThan(40))
                .body("cached", equalTo(false))
                .body("$", not(hasKey("links")));
    }

    @Test
    void linksAreReturnedOnlyWhenAskedAndPlainMarkdownOnAcceptTextMarkdown() {
        String url = MockUpstream.pageUrl("/pages/tides");
        given().auth().oauth2(MockUpstream.MASTER_KEY).contentType(ContentType.JSON)
                .body("{\"url\":\"" + url + "\",\"include_links\":true,\"format\":\"text\"}")
                .when().post("/v1/extract")
                .then().statusCode(200)
                .body("format", equalTo("text"))
                .body("links.url", org.hamcrest.Matchers.hasItem(MockUpstream.pageUrl("/spring")));
        String markdown = given().auth().oauth2(MockUpstream.MASTER_KEY).accept("text/markdown")
                .queryParam("url", url).queryParam("include_links", true)
                .when().get("/v1/extract")
                .then().statusCode(200).contentType(startsWith("text/markdown")).extract().asString();
        org.junit.jupiter.api.Assertions.assertTrue(markdown.contains("[spring tides](" + MockUpstream.pageUrl("/spring") + ")"),
                markdown);
    }

    @Test
    void theSecondFetchComesFromTheCacheUnlessNoCacheIsSet() {
        String url = MockUpstream.pageUrl("/pages/tides?cache-test");
        MockUpstream.on("GET", "/pages/tides", MockUpstream.html(ARTICLE));
        String body = "{\"url\":\"" + url + "\"}";
        given().auth().oauth2(MockUpstream.MASTER_KEY).contentType(ContentType.JSON).body(body)
                .when().post("/v1/extract").then().statusCode(200).body("cached", equalTo(false));
        given().auth().oauth2(MockUpstream.MASTER_KEY).contentType(ContentType.JSON).body(body)
                .when().post("/v1/extract").then().statusCode(200).body("cached", equalTo(true));
        given().auth().oauth2(MockUpstream.MASTER_KEY).contentType(ContentType.JSON)
                .body("{\"url\":\"" + url + "\",\"no_cache\":true}")
                .when().post("/v1/extract").then().statusCode(200).body("cached", equalTo(false));
        assertEquals(2, MockUpstream.received().stream().filter(r -> r.path().equals("/pages/tides")).count());
    }

    /** The cache counter as Prometheus scrapes it (works against the packaged application too). */
    private static double cacheLookups(String result) {
        String metrics = given().auth().oauth2(MockUpstream.MASTER_KEY).when().get("/q/metrics").then().statusCode(200).extract().asString();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(
                "(?m)^sluice_extract_cache_total\\{[^}]*result=\"" + result + "\"[^}]*} ([0-9.eE+-]+)$").matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    @Test
    void cacheHitsMissesAndBypassesAreCounted() {
        String url = MockUpstream.pageUrl("/pages/tides?counted");
        String body = "{\"url\":\"" + url + "\"}";
        double hits = cacheLookups("hit");
        double misses = cacheLookups("miss");
        double bypasses = cacheLookups("bypass");

        given().auth().oauth2(MockUpstream.MASTER_KEY).contentType(ContentType.JSON).body(body)
                .when().post("/v1/extract").then().statusCode(200).body("cached", equalTo(false));
        assertEquals(misses + 1, cacheLookups("miss"));
        assertEquals(hits, cacheLookups("hit"));

        given().auth().oauth2(MockUpstream.MASTER_KEY).contentType(ContentType.JSON).body(body)
                .when().post("/v1/extract").then().statusCode(200).body("cached", equalTo(true));
        assertEquals(hits + 1, cacheLookups("hit"));
        assertEquals(misses + 1, cacheLookups("miss"));

        given().auth().oauth2(MockUpstream.MASTER_KEY).queryParam("url", url).queryParam("no_cache", true)
                .when().get("/v1/extract").then().statusCode(200).body("cached", equalTo(false));
        assertEquals(bypasses + 1, cacheLookups("bypass"));
        assertEquals(hits + 1, cacheLookups("hit"), "no_cache never reads the cache");
        assertEquals(misses + 1, cacheLookups("miss"));
        assertEquals(2, MockUpstream.received().stream().filter(r -> r.uri().endsWith("?counted")).count(),
                "the page was fetched for the miss and for no_cache, not for the hit");

        // what no_cache fetched refreshed the cache
        given().auth().oauth2(MockUpstream.MASTER_KEY).contentType(ContentType.JSON).body(body)
                .when().post("/v1/extract").then().statusCode(200).body("cached", equalTo(true));
        assertEquals(hits + 2, cacheLookups("hit"));
    }

    @Test
    void aBatchReturnsEveryPageAndAnErrorForTheOnesThatFailed() {
        given().auth().oauth2(MockUpstream.MASTER_KEY).contentType(ContentType.JSON)
                .body("{\"urls\":[\"" + MockUpstream.pageUrl("/pages/tides") + "\",\"http://169.254.169.254/latest\","
                        + "\"" + MockUpstream.pageUrl("/pages/missing") + "\"],\"format\":\"text\"}")
                .when().post("/v1/extract")
                .then().statusCode(200)
                .body("object", equalTo("list"))
                .body("data[0].title", containsString("Tides"))
                .body("data[0].error", nullValue())
                .body("data[1].error.code", equalTo("url_not_allowed"))
                .body("data[1].url", equalTo("http://169.254.169.254/latest"))
                .body("data[2].error.code", equalTo("upstream_status"))
                .body("data[2].error.message", containsString("404"))
                .body("data[2].error.status", equalTo(404))
                .body("data[1].error", not(hasKey("status")));
    }

    @Test
    void anErrorStatusCarriesThePagesStatusAsAFieldBesideTheOpenAiEnvelopeFields() {
        MockUpstream.on("GET", "/pages/gone", ctx -> ctx.response().setStatusCode(410).end("gone"));
        given().auth().oauth2(MockUpstream.MASTER_KEY).contentType(ContentType.JSON)
                .body("{\"url\":\"" + MockUpstream.pageUrl("/pages/gone") + "\"}")
                .when().post("/v1/extract").then().statusCode(502)
                .body("error.code", equalTo("upstream_status"))
                .body("error.status", equalTo(410))
                .body("error.type", equalTo("invalid_request_error"))
                .body("error.param", equalTo("url"))
                .body("error.message", containsString("410"));
        given().auth().oauth2(MockUpstream.MASTER_KEY).queryParam("url", MockUpstream.pageUrl("/pages/gone"))
                .when().get("/v1/extract").then().statusCode(502)
                .body("error.status", equalTo(410));
        given().auth().oauth2(MockUpstream.MASTER_KEY).contentType(ContentType.JSON)
                .body("{\"url\":\"http://10.0.0.1/\"}")
                .when().post("/v1/extract").then().statusCode(400)
                .body("error", not(hasKey("status")))
                .body("error", hasKey("param"));
    }

    @Test
    void htmlTheCallerAlreadyHasIsExtractedWithoutAnyFetch() {
        given().auth().oauth2(MockUpstream.MASTER_KEY).contentType(ContentType.JSON)
                .body(io.vertx.core.json.JsonObject.of("html", ARTICLE, "url", "https://ocean.example/tides",
                        "include_links", true).encode())
                .when().post("/v1/extract")
                .then().statusCode(200)
                .body("status", nullValue())
                .body("content", containsString("[spring tides](https://ocean.example/spring)"));
        assertEquals(0, MockUpstream.received().size());
    }

    @Test
    void singleUrlFailuresUseTheEnvelopeWithSpecificCodes() {
        given().auth().oauth2(MockUpstream.MASTER_KEY).contentType(ContentType.JSON)
                .body("{\"url\":\"http://127.0.0.1:8081/q/health\"}")
                .when().post("/v1/extract").then().statusCode(400).body("error.code", equalTo("url_not_allowed"));
        given().auth().oauth2(MockUpstream.MASTER_KEY).contentType(ContentType.JSON)
                .body("{\"url\":\"" + MockUpstream.pageUrl("/pages/none") + "\"}")
                .when().post("/v1/extract").then().statusCode(502).body("error.code", equalTo("upstream_status"));
        MockUpstream.on("GET", "/pages/image", ctx -> ctx.response().putHeader("content-type", "image/png").end("PNG"));
        given().auth().oauth2(MockUpstream.MASTER_KEY).contentType(ContentType.JSON)
                .body("{\"url\":\"" + MockUpstream.pageUrl("/pages/image") + "\"}")
                .when().post("/v1/extract").then().statusCode(422).body("error.code", equalTo("unsupported_content_type"));
    }

    @Test
    void badRequestsAreClear400s() {
        given().auth().oauth2(MockUpstream.MASTER_KEY).contentType(ContentType.JSON)
                .body("{\"url\":\"https://example.com\",\"formatt\":\"text\"}")
                .when().post("/v1/extract").then().statusCode(400).body("error.param", equalTo("formatt"))
                .body("error.code", equalTo("unknown_parameter"));
        given().auth().oauth2(MockUpstream.MASTER_KEY).contentType(ContentType.JSON)
                .body("{\"url\":\"https://example.com\",\"urls\":[\"https://example.org\"]}")
                .when().post("/v1/extract").then().statusCode(400);
        given().auth().oauth2(MockUpstream.MASTER_KEY).contentType(ContentType.JSON)
                .body("{\"url\":\"https://example.com\",\"format\":\"pdf\"}")
                .when().post("/v1/extract").then().statusCode(400).body("error.param", equalTo("format"));
        given().auth().oauth2(MockUpstream.MASTER_KEY).contentType(ContentType.JSON)
                .body("{\"html\":\"<p>x</p>\",\"selector\":\"p[[\"}")
                .when().post("/v1/extract").then().statusCode(400).body("error.param", equalTo("selector"));
        given().auth().oauth2(MockUpstream.MASTER_KEY).contentType(ContentType.JSON)
                .body("{\"urls\":[" + "\"https://example.com\",".repeat(10) + "\"https://example.com\"]}")
                .when().post("/v1/extract").then().statusCode(400).body("error.param", equalTo("urls"));
        given().auth().oauth2(MockUpstream.MASTER_KEY).when().get("/v1/extract").then().statusCode(400);
    }

    @Test
    void extractNeedsAKeyLikeEveryV1Route() {
        given().contentType(ContentType.JSON).body("{\"url\":\"https://example.com\"}")
                .when().post("/v1/extract").then().statusCode(401);
    }

    @Test
    void plainTextPagesAreAcceptedAsParagraphs() {
        MockUpstream.on("GET", "/pages/notes.txt", ctx -> ctx.response().putHeader("content-type", "text/plain")
                .end("First paragraph about <tides>.\n\nSecond paragraph."));
        given().auth().oauth2(MockUpstream.MASTER_KEY).contentType(ContentType.JSON)
                .body("{\"url\":\"" + MockUpstream.pageUrl("/pages/notes.txt") + "\",\"format\":\"text\"}")
                .when().post("/v1/extract").then().statusCode(200)
                .body("content", containsString("First paragraph about <tides>."))
                .body("content", containsString("\n\nSecond paragraph."));
    }

    /**
     * A selector is a program the caller runs on Sluice's CPU: it must not be able to run away. A backtracking
     * pattern took 16.5 s on 28 characters with java.util.regex; under re2j it is either refused (a backreference
     * needs backtracking) or linear.
     */
    @Test
    void aRegexSelectorCannotBacktrackExponentially() {
        String as = "a".repeat(28);
        given().auth().oauth2(MockUpstream.MASTER_KEY).contentType(ContentType.JSON)
                .body("{\"html\":\"<p>" + as + "</p>\",\"selector\":\"p:matches((a+)+\\\\1b)\"}")
                .when().post("/v1/extract").then().statusCode(400)
                .body("error.code", equalTo("invalid_selector")).body("error.param", equalTo("selector"));
        // the same blow-up without a backreference: linear under re2j, answered at once (no match)
        given().auth().oauth2(MockUpstream.MASTER_KEY).contentType(ContentType.JSON)
                .body("{\"html\":\"<p>" + "a".repeat(5000) + "</p><div>kept</div>\",\"selector\":\"p:matches((a+)+b)\","
                        + "\"timeout_ms\":10000}")
                .when().post("/v1/extract").then().statusCode(200).body("content", equalTo(""));
        given().auth().oauth2(MockUpstream.MASTER_KEY).contentType(ContentType.JSON)
                .body("{\"html\":\"<p>x</p>\",\"exclude_selectors\":[\"p\",\"div:matches(x(?=y))\"]}")
                .when().post("/v1/extract").then().statusCode(400)
                .body("error.code", equalTo("invalid_selector")).body("error.param", equalTo("exclude_selectors[1]"));
    }

    @Test
    void selectorsThatMultiplyWorkAreRefusedBeforeAnyFetch() {
        MockUpstream.on("GET", "/pages/never", MockUpstream.html("<p>x</p>"));
        given().auth().oauth2(MockUpstream.MASTER_KEY).contentType(ContentType.JSON)
                .body("{\"url\":\"" + MockUpstream.pageUrl("/pages/never") + "\",\"selector\":\"div:has(p:has(a))\"}")
                .when().post("/v1/extract").then().statusCode(400)
                .body("error.code", equalTo("invalid_selector")).body("error.message", containsString(":has"));
        given().auth().oauth2(MockUpstream.MASTER_KEY).contentType(ContentType.JSON)
                .body("{\"html\":\"<p>x</p>\",\"selector\":\"" + "p ".repeat(300) + "\"}")
                .when().post("/v1/extract").then().statusCode(400).body("error.code", equalTo("invalid_selector"));
        given().auth().oauth2(MockUpstream.MASTER_KEY).contentType(ContentType.JSON)
                .body("{\"html\":\"<p>x</p>\",\"exclude_selectors\":[" + "\"p\",".repeat(40) + "\"p\"]}")
                .when().post("/v1/extract").then().statusCode(400).body("error.param", equalTo("exclude_selectors"));
        assertEquals(0, MockUpstream.received().stream().filter(r -> r.path().equals("/pages/never")).count(),
                "nothing is fetched for a refused selector");
    }

    @Test
    void extractionIsBoundedByTheRequestsDeadline() {
        // a large page and a 1 ms deadline: the parse cannot finish in time, the answer says so
        String page = "<div><p>" + "word ".repeat(20) + "</p></div>";
        given().auth().oauth2(MockUpstream.MASTER_KEY).contentType(ContentType.JSON)
                .body("{\"html\":\"" + page.repeat(1500) + "\",\"timeout_ms\":1}")
                .when().post("/v1/extract").then().statusCode(504).body("error.code", equalTo("fetch_timeout"))
                .body("error.message", containsString("1 ms"));
    }

    @Test
    void withoutMaxCharsAPageReturnsAndCachesAtMostTheDefault() {
        StringBuilder article = new StringBuilder("<article>");
        for (int i = 0; i < 260; i++) {
            article.append("<p>Paragraph ").append(i).append(": ").append(("tide " + i + " flows in and out, ").repeat(40))
                    .append("</p>");
        }
        io.restassured.response.Response r = given().auth().oauth2(MockUpstream.MASTER_KEY).contentType(ContentType.JSON)
                .body("{\"html\":\"" + article + "</article>\",\"format\":\"text\",\"selector\":\"article\"}")
                .when().post("/v1/extract");
        r.then().statusCode(200);
        int length = r.jsonPath().getString("content").length();
        org.junit.jupiter.api.Assertions.assertTrue(length <= 200_000 && length > 150_000, "cut near 200,000: " + length);
    }

    @Test
    void aCachedEntryWeighsWhatItsTextHolds() {
        ExtractedPage small = new ExtractedPage("t", null, null, null, null, null, null, PageType.ARTICLE, "x", 1,
                false, java.util.List.of());
        ExtractedPage large = new ExtractedPage("t", null, null, null, null, null, null, PageType.ARTICLE,
                "x".repeat(1_000_000), 1, false, java.util.List.of());
        int light = ExtractService.weight("k", new ExtractService.Result("u", "u", 200, small, false));
        int heavy = ExtractService.weight("k", new ExtractService.Result("u", "u", 200, large, false));
        org.junit.jupiter.api.Assertions.assertTrue(heavy >= 2_000_000 && light < 1_000, light + " / " + heavy);
    }
}
