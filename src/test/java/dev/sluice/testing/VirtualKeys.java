package dev.sluice.testing;

import io.restassured.http.ContentType;
import io.restassured.response.Response;

import static io.restassured.RestAssured.given;

/** Creates virtual keys through the admin API, for tests. */
public final class VirtualKeys {

    /** A created key: its id and the secret to send. */
    public record Key(String id, String secret) {
    }

    private VirtualKeys() {
    }

    public static Key create(String json) {
        Response r = given().auth().oauth2(MockUpstream.MASTER_KEY).contentType(ContentType.JSON).body(json)
                .when().post("/admin/keys");
        if (r.statusCode() != 201) {
            throw new AssertionError("key creation failed: " + r.statusCode() + " " + r.asString());
        }
        return new Key(r.path("id"), r.path("key"));
    }

    /** A chat completion sent with the key. */
    public static Response chat(Key key, String body) {
        return given().auth().oauth2(key.secret()).contentType(ContentType.JSON).body(body)
                .when().post("/v1/chat/completions");
    }

    public static Key withCredit(String name, String creditUsd) {
        return create("{\"name\":\"" + name + "\",\"credit_usd\":" + creditUsd + "}");
    }
}
