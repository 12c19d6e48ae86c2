package dev.sluice.extract;

import dev.sluice.testing.MockUpstream;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** PDFs served by a local page server, through /v1/extract and through web_extract retrieval in chat. */
@QuarkusTest
@WithTestResource(MockUpstream.class)
class PdfExtractApiTest {

    private static final String COMPLETIONS = "/openai/v1/chat/completions";

    @BeforeEach
    void reset() {
        MockUpstream.reset();
        MockUpstream.on("GET", "/docs/report.pdf", pdf(Pdfs.report(true)));
        MockUpstream.on("GET", "/docs/locked.pdf", pdf(Pdfs.encrypted()));
        MockUpstream.on("GET", "/docs/scan.pdf", pdf(Pdfs.scanned()));
        MockUpstream.on("GET", "/docs/huge.pdf", pdf(Pdfs.larger(6 * 1024 * 1024)));
        MockUpstream.on("POST", COMPLETIONS, MockUpstream.json(200,
                MockUpstream.completion("Turbines sit on the sea bed [1].")));
    }

    private static Handler<RoutingContext> pdf(byte[] bytes) {
        return ctx -> ctx.response().putHeader("content-type", "application/pdf").end(Buffer.buffer(bytes));
    }

    private static io.restassured.response.ValidatableResponse extract(String path) {
        return given().auth().oauth2(MockUpstream.MASTER_KEY).contentType(ContentType.JSON)
                .body("{\"url\":\"" + MockUpstream.pageUrl(path) + "\",\"no_cache\":true}")
                .when().post("/v1/extract").then();
    }

    @Test
    void aPdfIsReturnedAsMarkdownWithItsHeadingsAndMetadata() {
        extract("/docs/report.pdf").statusCode(200)
                .body("title", equalTo(Pdfs.TITLE))
                .body("byline", equalTo(Pdfs.AUTHOR))
                .body("published_time", startsWith("2026-03-14"))
                .body("content", containsString("# Why the tides matter"))
                .body("content", containsString("# Turbines in the water"))
                .body("content", containsString("Underwater turbines sit on the sea bed"));
    }

    @Test
    void aPdfOverTheSizeCapIsRefusedAsTooLarge() {
        extract("/docs/huge.pdf").statusCode(422).body("error.code", equalTo("too_large"));
    }

    @Test
    void anEncryptedPdfAndAScanAreRefusedWithClearCodes() {
        extract("/docs/locked.pdf").statusCode(422)
                .body("error.code", equalTo("pdf_encrypted"))
                .body("error.message", containsString("encrypted"));
        extract("/docs/scan.pdf").statusCode(422)
                .body("error.code", equalTo("pdf_without_text"))
                .body("error.message", not(containsString("Exception")));
    }

    @Test
    void webExtractInChatUsesAPdfLikeAnyPage() {
        String url = MockUpstream.pageUrl("/docs/report.pdf");
        String body = new JsonObject()
                .put("model", "openai/gpt-4o")
                .put("messages", new JsonArray()
                        .add(new JsonObject().put("role", "user").put("content", "Where do the turbines sit?")))
                .put("web_extract", new JsonObject().put("urls", new JsonArray().add(url)))
                .encode();
        given().auth().oauth2(MockUpstream.MASTER_KEY).contentType(ContentType.JSON).body(body)
                .when().post("/v1/chat/completions")
                .then().statusCode(200)
                .body("sources[0].status", equalTo("used"))
                .body("sources[0].title", equalTo(Pdfs.TITLE));
        String context = MockUpstream.last(COMPLETIONS).json().getJsonArray("messages").getJsonObject(0)
                .getString("content");
        assertTrue(context.contains("[1] " + Pdfs.TITLE + " — " + url), context);
        assertTrue(context.contains("Underwater turbines sit on the sea bed"), context);
    }
}
