package dev.sluice.logs;

import dev.sluice.store.Database;
import dev.sluice.testing.MockUpstream;
import dev.sluice.testing.VirtualKeys;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The request log seen from outside: per-key settings, what is stored, the admin and key APIs. */
@QuarkusTest
@TestProfile(RequestLogProfile.class)
@WithTestResource(MockUpstream.class)
class RequestLogTest {

    static final String COMPLETIONS = "/billed/v1/chat/completions";
    static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    Database db;
    @Inject
    RequestLog log;

    @BeforeEach
    void reset() {
        MockUpstream.reset();
        MockUpstream.on("POST", COMPLETIONS, MockUpstream.json(200, MockUpstream.completion("Sunny", 10, 5)));
    }

    static String body(String content, String extra) {
        return "{\"model\":\"billed/m\"" + extra + ",\"messages\":[{\"role\":\"user\",\"content\":\"" + content
                + "\"}]}";
    }

    /** Sends a chat request with the key; returns its request id. */
    static String send(VirtualKeys.Key key, String body, int status) {
        Response r = given().auth().oauth2(key.secret()).contentType(ContentType.JSON).body(body)
                .when().post("/v1/chat/completions");
        assertEquals(status, r.statusCode(), r.asString());
        return r.header("x-request-id");
    }

    @Test
    void noSecretReachesAnyStoredRow() throws Exception {
        VirtualKeys.Key other = VirtualKeys.withCredit("bystander", "1");
        VirtualKeys.Key key = VirtualKeys.create("{\"name\":\"with-bodies\",\"credit_usd\":1,\"log_bodies\":true}");
        List<String> secrets = List.of(MockUpstream.MASTER_KEY, MockUpstream.OPENAI_KEY, MockUpstream.GROQ_KEY,
                MockUpstream.ANTHROPIC_KEY, MockUpstream.AZURE_KEY, MockUpstream.GEMINI_KEY,
                MockUpstream.AWS_ACCESS_KEY_ID, MockUpstream.AWS_SECRET_ACCESS_KEY, MockUpstream.AWS_SESSION_TOKEN,
                "sk-billed-key-0123456789", key.secret(), other.secret(), "AKIAIOSFODNN7EXAMPLE",
                "opaque-bearer-token-value-0123456789", MockUpstream.AWS_SECRET_ACCESS_KEY.replace("/", "\\/"));
        String content = String.join(" ", secrets.subList(0, secrets.size() - 2))
                + " Authorization: Bearer opaque-bearer-token-value-0123456789";
        // the upstream echoes credentials back too, in its answer
        MockUpstream.on("POST", COMPLETIONS, MockUpstream.json(200, MockUpstream.completion(
                "echo " + MockUpstream.MASTER_KEY + " " + key.secret() + " " + MockUpstream.AWS_SECRET_ACCESS_KEY
                        .replace("/", "\\/"), 10, 5)));
        send(key, body(content, ",\"user\":\"" + other.secret() + "\",\"api_key\":\"free-form-credential\""), 200);
        // streamed, and refused by the upstream with a body naming a key
        MockUpstream.on("POST", COMPLETIONS, MockUpstream.sse(Duration.ZERO,
                MockUpstream.chunk("{\"role\":\"assistant\",\"content\":\"" + MockUpstream.OPENAI_KEY + "\"}", null),
                MockUpstream.chunk("{}", "stop"), MockUpstream.usageChunk(10, 5), "[DONE]"));
        send(key, body(content, ",\"stream\":true"), 200);
        MockUpstream.on("POST", COMPLETIONS, MockUpstream.json(401,
                "{\"error\":{\"message\":\"Incorrect API key provided: " + MockUpstream.GROQ_KEY
                        + "\",\"type\":\"invalid_request_error\",\"code\":\"invalid_api_key\"}}"));
        given().auth().oauth2(key.secret()).contentType(ContentType.JSON).body(body(content, ""))
                .when().post("/v1/chat/completions").then().statusCode(greaterThan399());
        assertEquals(3, LogRows.awaitCount(db, key.id(), 3, WAIT));

        List<Map<String, Object>> mine = LogRows.forKey(db, key.id());
        String request = (String) mine.get(0).get("request_body");
        String response = (String) mine.get(0).get("response_body");
        assertNotNull(request, "bodies are on for this key");
        assertNotNull(response);
        assertTrue(request.contains("[redacted]"), request);
        assertTrue(response.contains("echo [redacted]"), response);
        assertNotNull(mine.get(1).get("response_body"), "the stream's chunks were kept");
        assertTrue(mine.get(0).get("session").toString().contains("[redacted]"));

        // every column of every row of the table
        List<String> cells = new ArrayList<>();
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT * FROM sluice_request_log")) {
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                for (int i = 1; i <= columns; i++) {
                    cells.add(String.valueOf(rs.getObject(i)));
                }
            }
        }
        assertFalse(cells.isEmpty());
        for (String cell : cells) {
            for (String secret : secrets) {
                assertFalse(cell.contains(secret), "a stored cell holds a secret: " + cell);
            }
            assertFalse(cell.contains("free-form-credential"), cell);
        }
    }

    private static org.hamcrest.Matcher<Integer> greaterThan399() {
        return org.hamcrest.Matchers.greaterThan(399);
    }

    @Test
    void bodiesAreCappedAtTheConfiguredSize() throws Exception {
        VirtualKeys.Key key = VirtualKeys.create("{\"name\":\"big\",\"credit_usd\":1,\"log_bodies\":true}");
        String id = send(key, body("x".repeat(3 * RequestLogProfile.MAX_BODY_BYTES), ""), 200);
        assertEquals(1, LogRows.awaitCount(db, key.id(), 1, WAIT));
        String stored = given().auth().oauth2(MockUpstream.MASTER_KEY).when().get("/admin/logs/" + id)
                .then().statusCode(200).extract().path("request_body");
        assertTrue(stored.endsWith(SecretMask.TRUNCATED), stored);
        assertEquals(RequestLogProfile.MAX_BODY_BYTES + SecretMask.TRUNCATED.length(), stored.length());
    }

    @Test
    void perKeySettingsTurnTheLogOffOrBodiesOnAndShowInTheKeysApi() throws Exception {
        VirtualKeys.Key quiet = VirtualKeys.create("{\"name\":\"quiet\",\"credit_usd\":1,\"log_requests\":false}");
        given().auth().oauth2(MockUpstream.MASTER_KEY).when().get("/admin/keys/" + quiet.id())
                .then().statusCode(200).body("log_requests", equalTo(false)).body("log_bodies", nullValue());
        send(quiet, body("not logged", ""), 200);

        VirtualKeys.Key plain = VirtualKeys.withCredit("plain", "1");
        send(plain, body("logged without body", ""), 200);
        assertEquals(1, LogRows.awaitCount(db, plain.id(), 1, WAIT));
        assertEquals(null, LogRows.forKey(db, plain.id()).get(0).get("request_body"));
        // written in order by one thread: the quiet key's row would be there by now
        assertEquals(0, LogRows.count(db, quiet.id()));

        given().auth().oauth2(MockUpstream.MASTER_KEY).contentType(ContentType.JSON)
                .body("{\"log_bodies\":true}").when().patch("/admin/keys/" + plain.id())
                .then().statusCode(200).body("log_bodies", equalTo(true)).body("log_requests", nullValue());
        given().auth().oauth2(MockUpstream.MASTER_KEY).contentType(ContentType.JSON)
                .body("{\"log_requests\":\"yes\"}").when().patch("/admin/keys/" + plain.id())
                .then().statusCode(400).body("error.param", equalTo("log_requests"))
                .body("error.type", equalTo("invalid_request_error"));
        // the key directory picks the change up on its next refresh
        long deadline = System.nanoTime() + WAIT.toNanos();
        String id = null;
        while (System.nanoTime() < deadline) {
            id = send(plain, body("logged with body", ""), 200);
            long n = LogRows.awaitCount(db, plain.id(), 2, WAIT);
            List<Map<String, Object>> rows = LogRows.forKey(db, plain.id());
            if (rows.get(rows.size() - 1).get("request_body") != null) {
                break;
            }
            assertTrue(n >= 2);
            Thread.sleep(200);
        }
        given().auth().oauth2(plain.secret()).when().get("/v1/logs/" + id)
                .then().statusCode(200).body("request_body", containsString("logged with body"));
    }

    @Test
    void theAdminApiFiltersAndPagesNewestFirst() throws Exception {
        VirtualKeys.Key key = VirtualKeys.withCredit("paged", "1");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            ids.add(send(key, body("n" + i, i < 3 ? ",\"user\":\"sess-a\"" : ",\"metadata\":{\"session_id\":\"sess-b\"}"),
                    200));
        }
        MockUpstream.on("POST", COMPLETIONS, MockUpstream.serverError());
        Response failed = given().auth().oauth2(key.secret()).contentType(ContentType.JSON).body(body("fails", ""))
                .when().post("/v1/chat/completions");
        int failedStatus = failed.statusCode();
        assertTrue(failedStatus >= 500, failed.asString());
        assertEquals(8, LogRows.awaitCount(db, key.id(), 8, WAIT));

        // pages of 3, newest first, every row once
        List<String> seen = new ArrayList<>();
        String cursor = null;
        do {
            var page = given().auth().oauth2(MockUpstream.MASTER_KEY)
                    .queryParam("key", key.id()).queryParam("limit", 3)
                    .queryParams(cursor == null ? Map.of() : Map.of("before", cursor))
                    .when().get("/admin/logs").then().statusCode(200).body("object", equalTo("list"))
                    .body("data", hasSize(org.hamcrest.Matchers.lessThanOrEqualTo(3)))
                    .body("data.key_id", everyItem(equalTo(key.id())))
                    .body("data.request_body", everyItem(nullValue()))
                    .extract();
            seen.addAll(page.path("data.id"));
            cursor = page.path("next_cursor");
            assertEquals(cursor != null, (Boolean) page.path("has_more"));
        } while (cursor != null);
        assertEquals(8, seen.size());
        assertEquals(8, new HashSet<>(seen).size());
        assertEquals(ids.get(6), seen.get(1), "newest first (the failed request is the newest)");

        given().auth().oauth2(MockUpstream.MASTER_KEY).queryParam("key", key.id()).queryParam("session", "sess-a")
                .when().get("/admin/logs").then().statusCode(200).body("data", hasSize(3))
                .body("data.session", everyItem(equalTo("sess-a")));
        given().auth().oauth2(MockUpstream.MASTER_KEY).queryParam("key", key.id()).queryParam("session", "sess-b")
                .when().get("/admin/logs").then().statusCode(200).body("data", hasSize(4));
        given().auth().oauth2(MockUpstream.MASTER_KEY).queryParam("key", key.id())
                .queryParam("status", failedStatus)
                .when().get("/admin/logs").then().statusCode(200).body("data", hasSize(1))
                .body("data[0].outcome", equalTo("failed")).body("data[0].error_code", notNullValue());
        given().auth().oauth2(MockUpstream.MASTER_KEY).queryParam("key", key.id()).queryParam("model", "billed/m")
                .queryParam("status", 200)
                .when().get("/admin/logs").then().statusCode(200).body("data", hasSize(7))
                .body("data.cost_usd", everyItem(equalTo(0.00002f)))
                .body("data.usage.prompt_tokens", everyItem(equalTo(10)));
        given().auth().oauth2(MockUpstream.MASTER_KEY).queryParam("key", key.id()).queryParam("model", "other/x")
                .when().get("/admin/logs").then().statusCode(200).body("data", hasSize(0))
                .body("has_more", equalTo(false));
        given().auth().oauth2(MockUpstream.MASTER_KEY).queryParam("key", key.id())
                .queryParam("from", "2000-01-01").queryParam("to", "2000-01-02")
                .when().get("/admin/logs").then().statusCode(200).body("data", hasSize(0));
        given().auth().oauth2(MockUpstream.MASTER_KEY).queryParam("key", key.id())
                .queryParam("from", java.time.LocalDate.now(java.time.ZoneOffset.UTC).minusDays(1).toString())
                .when().get("/admin/logs").then().statusCode(200).body("data", hasSize(8));

        given().auth().oauth2(MockUpstream.MASTER_KEY).when().get("/admin/logs/" + ids.get(0))
                .then().statusCode(200).body("id", equalTo(ids.get(0))).body("status", equalTo(200))
                .body("provider", equalTo("billed")).body("served_model", equalTo("m"))
                .body("duration_ms", notNullValue()).body("overhead_ms", notNullValue())
                .body("request_body", nullValue());

        // bad parameters: a 400 in OpenAI's envelope, naming the parameter
        for (String[] bad : new String[][]{{"status", "abc"}, {"limit", "0"}, {"from", "yesterday"},
                {"before", "-3"}}) {
            given().auth().oauth2(MockUpstream.MASTER_KEY).queryParam(bad[0], bad[1])
                    .when().get("/admin/logs").then().statusCode(400)
                    .body("error.type", equalTo("invalid_request_error")).body("error.param", equalTo(bad[0]));
        }
        given().auth().oauth2(MockUpstream.MASTER_KEY).when().get("/admin/logs/no-such-request")
                .then().statusCode(404).body("error.code", equalTo("log_not_found"));
    }

    @Test
    void aVirtualKeyReadsOnlyItsOwnRows() throws Exception {
        VirtualKeys.Key a = VirtualKeys.withCredit("reader-a", "1");
        VirtualKeys.Key b = VirtualKeys.withCredit("reader-b", "1");
        String aId = send(a, body("from a", ""), 200);
        String bId = send(b, body("from b", ""), 200);
        assertEquals(1, LogRows.awaitCount(db, a.id(), 1, WAIT));
        assertEquals(1, LogRows.awaitCount(db, b.id(), 1, WAIT));

        given().auth().oauth2(b.secret()).when().get("/v1/logs/" + aId)
                .then().statusCode(404).body("error.code", equalTo("log_not_found"));
        given().auth().oauth2(b.secret()).when().get("/v1/logs/" + bId)
                .then().statusCode(200).body("key_id", equalTo(b.id()));
        given().auth().oauth2(b.secret()).when().get("/v1/logs")
                .then().statusCode(200).body("data", hasSize(1)).body("data[0].id", equalTo(bId));
        given().auth().oauth2(b.secret()).queryParam("key", a.id()).when().get("/v1/logs")
                .then().statusCode(403).body("error.type", equalTo("permission_error"));
        given().auth().oauth2(b.secret()).when().get("/admin/logs")
                .then().statusCode(403);
        given().auth().oauth2(b.secret()).when().get("/admin/logs/" + aId)
                .then().statusCode(403);
        given().when().get("/v1/logs").then().statusCode(401);
        // the master key reads everyone's, on either path
        given().auth().oauth2(MockUpstream.MASTER_KEY).when().get("/v1/logs/" + aId)
                .then().statusCode(200).body("key_id", equalTo(a.id()));
    }

    @Test
    void retentionDeletesRowsOlderThanMaxAgeAndKeepsTheRest() throws Exception {
        long now = System.currentTimeMillis();
        String key = "retention-" + System.nanoTime();
        log.offer(RequestLogStoreTest.row("ancient-" + key, now - Duration.ofDays(31).toMillis(), key, "m", 200, null,
                null));
        log.offer(RequestLogStoreTest.row("recent-" + key, now - Duration.ofDays(29).toMillis(), key, "m", 200, null,
                null));
        assertEquals(2, LogRows.awaitCount(db, key, 2, WAIT));
        log.enforceRetention(); // what the periodic task runs (max-age 30d by default)
        List<Map<String, Object>> left = LogRows.forKey(db, key);
        assertEquals(1, left.size());
        assertEquals("recent-" + key, left.get(0).get("request_id"));
    }

    @Test
    void aClaudeCodeSessionAndTheMessagesRouteAreRecorded() throws Exception {
        VirtualKeys.Key key = VirtualKeys.withCredit("claude-code", "1");
        MockUpstream.on("POST", "/openai/v1/chat/completions", MockUpstream.json(200, MockUpstream.completion("ok")));
        String id = given().auth().oauth2(key.secret()).contentType(ContentType.JSON)
                .header("anthropic-version", "2023-06-01").header("x-claude-code-session-id", "18cfa930-3e8e-4469")
                .body("{\"model\":\"gpt-4o-mini\",\"max_tokens\":5,\"metadata\":{\"user_id\":\"u\"},"
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}")
                .when().post("/v1/messages").then().statusCode(200).extract().header("x-request-id");
        assertEquals(1, LogRows.awaitCount(db, key.id(), 1, WAIT));
        given().auth().oauth2(key.secret()).when().get("/v1/logs/" + id).then().statusCode(200)
                .body("session", equalTo("18cfa930-3e8e-4469")).body("protocol", equalTo("messages"))
                .body("provider", equalTo("openai")).body("usage.prompt_tokens", equalTo(9));
    }
}
