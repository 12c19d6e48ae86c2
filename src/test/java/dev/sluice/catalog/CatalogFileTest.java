package dev.sluice.catalog;

import dev.sluice.testing.MockUpstream;
import dev.sluice.testing.VirtualKeys;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

/**
 * A LiteLLM {@code model_prices_and_context_window.json} named by {@code sluice.catalog.source} prices a model the
 * bundled catalog lacks: a prepaid virtual key can use it, charged the file's price. The mock answers report 9
 * prompt and 2 completion tokens.
 */
@QuarkusTest
@WithTestResource(MockUpstream.class)
@TestProfile(CatalogFileTest.LiteLlmFile.class)
class CatalogFileTest {

    public static class LiteLlmFile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            try {
                Path file = Files.createTempFile("model_prices_and_context_window", ".json");
                Files.writeString(file, CatalogFilesTest.LITELLM);
                return Map.of("sluice.catalog.source", file.toString());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @BeforeEach
    void reset() {
        MockUpstream.reset();
    }

    private static String chat(String model) {
        return "{\"model\":\"" + model + "\",\"max_tokens\":50,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
    }

    @Test
    void aVirtualKeyCanUseAModelTheFilePrices() {
        VirtualKeys.Key key = VirtualKeys.withCredit("litellm-priced", "1");
        given().auth().oauth2(key.secret()).contentType(ContentType.JSON).body(chat("openai/gpt-9"))
                .when().post("/v1/chat/completions")
                .then().statusCode(200).header("x-sluice-cost-usd", "0.000053"); // 9 x 2.50 + 2 x 15, rounded up
        given().auth().oauth2(key.secret()).contentType(ContentType.JSON).body(chat("openai/gpt-10"))
                .when().post("/v1/chat/completions")
                .then().statusCode(403).body("error.code", equalTo("model_not_priced"));
    }

    @Test
    void theAdminViewSaysWhereEachModelComesFrom() {
        given().auth().oauth2(MockUpstream.MASTER_KEY).when().get("/admin/catalog")
                .then().statusCode(200)
                .body("refresh.kind", equalTo("file"))
                .body("models.find { it.id == 'openai/gpt-9' }.source", equalTo("file"))
                .body("models.find { it.id == 'openai/gpt-9' }.context_window", equalTo(400000))
                .body("models.find { it.id == 'openai/gpt-4o' }.source", equalTo("bundled"))
                .body("models.find { it.id == 'billed/*' }.source", equalTo("override"))
                .body("sources.source", hasItem("file"));
    }
}
