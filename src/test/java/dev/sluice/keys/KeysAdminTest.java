package dev.sluice.keys;

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
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The virtual-key admin API and what a key can and cannot do. */
@QuarkusTest
@WithTestResource(MockUpstream.class)
class KeysAdminTest {

    private static final String CHAT = "{\"model\":\"%s\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";

    @BeforeEach
    void reset() {
        MockUpstream.reset();
    }

    private static io.restassured.response.ValidatableResponse chat(String key, String model) {
        return given().auth().oauth2(key).contentType(ContentType.JSON).body(CHAT.formatted(model))
                .when().post("/v1/chat/completions").then();
    }

    @Test
    void aKeyIsShownOnceAndStoredOnlyAsAHash() {
        var created = given().auth().oauth2(MockUpstream.MASTER_KEY).contentType(ContentType.JSON)
                .body("{\"name\":\"team-a\",\"models\":[\"billed/*\"],\"rpm\":100,\"tpm\":100000,\"max_parallel\":5,"
                        + "\"credit_usd\":12.5,\"metadata\":{\"team\":\"a\"},\"expires_at\":\"2099-01-01T00:00:00Z\"}")
                .when().post("/admin/keys")
                .then().statusCode(201)
                .body("key", startsWith("sk-sluice-"))
                .body("name", equalTo("team-a"))
                .body("models", hasItem("billed/*"))
                .body("rpm", equalTo(100)).body("tpm", equalTo(100000)).body("max_parallel", equalTo(5))
                .body("balance_usd", equalTo(12.5f))
                .body("metadata.team", equalTo("a"))
                .body("expires_at", equalTo("2099-01-01T00:00:00Z"))
                .body("status", equalTo("active"))
                .extract();
        String id = created.path("id");
        String secret = created.path("key");
        assertTrue(secret.contains(id), "the id is the non-secret part of the key");

        String listed = given().auth().oauth2(MockUpstream.MASTER_KEY).when().get("/admin/keys")
                .then().statusCode(200).extract().asString();
        assertTrue(listed.contains(id));
        assertTrue(!listed.contains(secret), "the secret never appears again");
        given().auth().oauth2(MockUpstream.MASTER_KEY).when().get("/admin/keys/" + id)
                .then().statusCode(200).body("key", nullValue())
                .body("key_hint", equalTo("sk-sluice-" + id + "-..." + secret.substring(secret.length() - 4)));

        chat(secret, "billed/model-x").statusCode(200);
    }

    @Test
    void virtualKeysCannotUseAdminRoutes() {
        VirtualKeys.Key key = VirtualKeys.withCredit("not-admin", "1");
        given().auth().oauth2(key.secret()).when().get("/admin/keys")
                .then().statusCode(403).body("error.code", equalTo("admin_only"));
        given().auth().oauth2(key.secret()).contentType(ContentType.JSON).body("{\"name\":\"x\"}")
                .when().post("/admin/keys").then().statusCode(403);
        given().auth().oauth2(key.secret()).when().get("/admin/usage").then().statusCode(403);
        given().auth().oauth2(key.secret()).when().get("/admin/invoices/2026-11").then().statusCode(403);
    }

    @Test
    void aRevokedKeyGets401AtOnce() {
        VirtualKeys.Key key = VirtualKeys.withCredit("to-revoke", "1");
        chat(key.secret(), "billed/m").statusCode(200);
        given().auth().oauth2(MockUpstream.MASTER_KEY).when().delete("/admin/keys/" + key.id())
                .then().statusCode(200).body("status", equalTo("revoked"));
        chat(key.secret(), "billed/m").statusCode(401).body("error.code", equalTo("key_revoked"))
                .body("error.message", not(containsString(key.secret())));
    }

    @Test
    void anExpiredKeyGets401() {
        VirtualKeys.Key key = VirtualKeys.create("{\"name\":\"old\",\"credit_usd\":1,\"expires_at\":\"2020-01-01\"}");
        chat(key.secret(), "billed/m").statusCode(401).body("error.code", equalTo("key_expired"));
    }

    @Test
    void aWrongSecretForAKnownIdIsAnInvalidKey() {
        VirtualKeys.Key key = VirtualKeys.withCredit("guessed", "1");
        String forged = key.secret().substring(0, key.secret().length() - 4) + "AAAA";
        chat(forged, "billed/m").statusCode(401).body("error.code", equalTo("invalid_api_key"));
    }

    @Test
    void rotationReplacesTheSecretAndKeepsTheBalance() {
        VirtualKeys.Key key = VirtualKeys.withCredit("rotating", "2");
        String fresh = given().auth().oauth2(MockUpstream.MASTER_KEY).when().post("/admin/keys/" + key.id() + "/rotate")
                .then().statusCode(200).body("id", equalTo(key.id())).body("balance_usd", equalTo(2.0f))
                .extract().path("key");
        chat(key.secret(), "billed/m").statusCode(401);
        chat(fresh, "billed/m").statusCode(200);
    }

    @Test
    void theAllowListRefusesOtherModelsNamingThem() {
        VirtualKeys.Key key = VirtualKeys.create("{\"name\":\"groq-only\",\"credit_usd\":1,\"models\":[\"groq/*\",\"billed/ok-*\"]}");
        chat(key.secret(), "openai/gpt-4o").statusCode(403).body("error.code", equalTo("model_not_allowed"))
                .body("error.message", containsString("openai/gpt-4o"));
        chat(key.secret(), "billed/other").statusCode(403);
        chat(key.secret(), "billed/ok-1").statusCode(200);
        chat(key.secret(), "fast").statusCode(200); // an alias of groq/llama-3.1-8b-instant
        assertEquals(2, MockUpstream.received().stream().filter(r -> r.path().endsWith("/chat/completions")).count(),
                "refused requests never reach a provider");
    }

    @Test
    void patchChangesOnlyTheGivenFields() {
        VirtualKeys.Key key = VirtualKeys.create("{\"name\":\"p\",\"rpm\":10,\"models\":[\"billed/*\"]}");
        given().auth().oauth2(MockUpstream.MASTER_KEY).contentType(ContentType.JSON)
                .body("{\"rpm\":null,\"tpm\":500,\"name\":\"renamed\"}")
                .when().patch("/admin/keys/" + key.id())
                .then().statusCode(200).body("name", equalTo("renamed")).body("rpm", nullValue())
                .body("tpm", equalTo(500)).body("models", hasItem("billed/*"));
    }

    @Test
    void badAdminInputIsA400NamingTheField() {
        given().auth().oauth2(MockUpstream.MASTER_KEY).contentType(ContentType.JSON).body("{\"rpm\":5}")
                .when().post("/admin/keys").then().statusCode(400).body("error.param", equalTo("name"));
        given().auth().oauth2(MockUpstream.MASTER_KEY).contentType(ContentType.JSON).body("{\"name\":\"x\",\"rpm\":-1}")
                .when().post("/admin/keys").then().statusCode(400).body("error.param", equalTo("rpm"));
        given().auth().oauth2(MockUpstream.MASTER_KEY).contentType(ContentType.JSON)
                .body("{\"name\":\"x\",\"credit_usd\":0.0000001}")
                .when().post("/admin/keys").then().statusCode(400).body("error.param", equalTo("credit_usd"));
        given().auth().oauth2(MockUpstream.MASTER_KEY).contentType(ContentType.JSON).body("{\"name\":\"x\",\"models\":\"a\"}")
                .when().post("/admin/keys").then().statusCode(400).body("error.param", equalTo("models"));
        given().auth().oauth2(MockUpstream.MASTER_KEY).contentType(ContentType.JSON).body("[1]")
                .when().post("/admin/keys").then().statusCode(400).body("error.code", equalTo("invalid_json"));
        given().auth().oauth2(MockUpstream.MASTER_KEY).when().get("/admin/keys/knope").then().statusCode(404)
                .body("error.code", equalTo("key_not_found"));
        VirtualKeys.Key key = VirtualKeys.withCredit("c", "1");
        given().auth().oauth2(MockUpstream.MASTER_KEY).contentType(ContentType.JSON).body("{\"amount_usd\":-5}")
                .when().post("/admin/keys/" + key.id() + "/credits").then().statusCode(400)
                .body("error.param", equalTo("amount_usd"));
    }

    @Test
    void aTopUpIsRecordedAndRaisesTheBalance() {
        VirtualKeys.Key key = VirtualKeys.withCredit("topped", "1");
        given().auth().oauth2(MockUpstream.MASTER_KEY).contentType(ContentType.JSON)
                .body("{\"amount_usd\":\"2.000001\",\"note\":\"invoice 42\"}")
                .when().post("/admin/keys/" + key.id() + "/credits")
                .then().statusCode(201).body("balance_usd", equalTo(3.000001f));
        given().auth().oauth2(key.secret()).when().get("/v1/balance")
                .then().statusCode(200).body("balance_usd", equalTo(3.000001f)).body("credited_usd", equalTo(3.000001f))
                .body("key_id", equalTo(key.id()));
    }
}
