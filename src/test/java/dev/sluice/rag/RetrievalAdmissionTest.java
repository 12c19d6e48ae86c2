package dev.sluice.rag;

import dev.sluice.testing.MockUpstream;
import dev.sluice.testing.VirtualKeys;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@code web_extract} fetches pages only for requests the key's rate limits and balance admit: a key with no
 * credit, or at its rate limit, cannot make the gateway fetch pages for it.
 */
@QuarkusTest
@WithTestResource(MockUpstream.class)
class RetrievalAdmissionTest {

    static final String PAGE = "/pages/admission";

    @BeforeEach
    void reset() {
        MockUpstream.reset();
        MockUpstream.on("GET", PAGE, MockUpstream.html("<html><body><article><h1>Tides</h1><p>The tide rises twice a "
                + "day, pulled by the moon and, less, by the sun.</p></article></body></html>"));
    }

    /** @param url a page URL (a query of its own keeps it out of the extract cache) */
    private static Response chat(VirtualKeys.Key key, String url) {
        return given().auth().oauth2(key.secret()).contentType(ContentType.JSON)
                .body("{\"model\":\"billed/m\",\"max_tokens\":50,\"web_extract\":{\"urls\":[\""
                        + url + "\"]},\"messages\":[{\"role\":\"user\",\"content\":"
                        + "\"How often does the tide rise?\"}]}")
                .when().post("/v1/chat/completions");
    }

    @Test
    void aKeyWithoutCreditGetsNoPageFetched() {
        VirtualKeys.Key key = VirtualKeys.withCredit("no-credit-pages", "0");
        // a URL of its own: the extract cache does not already hold it
        Response r = chat(key, MockUpstream.pageUrl(PAGE) + "?no-credit");
        r.then().statusCode(429);
        assertEquals("insufficient_quota", r.jsonPath().getString("error.code"));
        assertEquals(0, MockUpstream.count(PAGE), "nothing fetched for a refused request");
    }

    @Test
    void aKeyAtItsRateLimitGetsNoPageFetched() {
        VirtualKeys.Key key = VirtualKeys.create("{\"name\":\"rpm-pages\",\"credit_usd\":1,\"rpm\":1}");
        chat(key, MockUpstream.pageUrl(PAGE) + "?first").then().statusCode(200);
        assertEquals(1, MockUpstream.count(PAGE));
        chat(key, MockUpstream.pageUrl(PAGE) + "?again").then().statusCode(429);
        assertEquals(1, MockUpstream.count(PAGE), "the second request was refused before fetching");
    }
}
