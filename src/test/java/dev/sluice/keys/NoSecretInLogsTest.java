package dev.sluice.keys;

import dev.sluice.testing.MockUpstream;
import dev.sluice.testing.Sse;
import dev.sluice.testing.VirtualKeys;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * No key ever reaches a log line: every record logged while keys are created, used (successfully, against
 * refusing and failing providers, streamed), presented wrongly, revoked and rotated is captured in memory, with
 * Sluice's own loggers at DEBUG, and searched for every virtual key, the master key and every provider credential.
 */
@QuarkusTest
@WithTestResource(MockUpstream.class)
class NoSecretInLogsTest {

    private static final String CHAT = "{\"model\":\"%s\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";

    /** Every record, formatted as a handler would write it, with its exception and stack trace. */
    static final class Capture extends Handler {
        final List<String> lines = new CopyOnWriteArrayList<>();

        @Override
        public void publish(LogRecord record) {
            String message = record instanceof ExtLogRecord e ? e.getFormattedMessage() : record.getMessage();
            StringBuilder line = new StringBuilder(record.getLoggerName() + " " + record.getLevel() + " " + message);
            if (record.getThrown() != null) {
                StringWriter trace = new StringWriter();
                record.getThrown().printStackTrace(new PrintWriter(trace));
                line.append('\n').append(trace);
            }
            if (record instanceof ExtLogRecord e && e.getMdcCopy() != null) {
                line.append(' ').append(e.getMdcCopy());
            }
            lines.add(line.toString());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }

    private final Capture capture = new Capture();
    private final Logger root = Logger.getLogger("");
    private final Logger sluice = Logger.getLogger("dev.sluice");
    private Level sluiceLevel;

    @BeforeEach
    void listen() {
        MockUpstream.reset();
        capture.setLevel(Level.ALL);
        root.addHandler(capture);
        sluiceLevel = sluice.getLevel();
        sluice.setLevel(Level.FINE);
    }

    @AfterEach
    void stopListening() {
        root.removeHandler(capture);
        sluice.setLevel(sluiceLevel);
    }

    private static int chat(String key, String model) {
        return given().auth().oauth2(key).contentType(ContentType.JSON).body(CHAT.formatted(model))
                .when().post("/v1/chat/completions").statusCode();
    }

    @Test
    void noKeyAppearsInAnyLogLine() throws Exception {
        List<String> secrets = new ArrayList<>(List.of(MockUpstream.MASTER_KEY, MockUpstream.OPENAI_KEY,
                MockUpstream.GROQ_KEY, MockUpstream.ANTHROPIC_KEY, MockUpstream.AZURE_KEY, MockUpstream.AZURE_V1_KEY,
                MockUpstream.GEMINI_KEY, MockUpstream.AWS_SECRET_ACCESS_KEY, MockUpstream.AWS_SESSION_TOKEN,
                "sk-billed-key-0123456789", "sk-broken-key-123456", "sk-slowpoke-key-123456"));

        VirtualKeys.Key key = VirtualKeys.create("{\"name\":\"logged\",\"credit_usd\":1,\"rpm\":100}");
        secrets.add(key.secret());
        for (String model : List.of("billed/m", "openai/gpt-4o", "groq/llama-3.1-8b-instant", "anthropic/claude-test",
                "gemini/gemini-test", "azure/gpt-4o", "bedrock/anthropic.claude-3-haiku-20240307-v1:0")) {
            assertEquals(200, chat(key.secret(), model), model);
        }
        Sse.send(Sse.post("/v1/chat/completions", "{\"model\":\"anthropic/claude-test\",\"stream\":true,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}")
                .setHeader("Authorization", "Bearer " + key.secret()).build());
        // a provider that refuses Sluice's credentials and quotes them back, and one that fails
        MockUpstream.on("POST", "/openai/v1/chat/completions", MockUpstream.json(401,
                "{\"error\":{\"message\":\"Incorrect API key provided: " + MockUpstream.OPENAI_KEY
                        + ". You can find your API key at https://platform.openai.com/account/api-keys.\","
                        + "\"type\":\"invalid_request_error\",\"code\":\"invalid_api_key\"}}"));
        chat(key.secret(), "openai/gpt-4o");
        chat(MockUpstream.MASTER_KEY, "broken/m");
        // keys presented wrongly, in every header Sluice reads
        String forged = key.secret().substring(0, key.secret().length() - 4) + "ZZZZ";
        assertEquals(401, chat(forged, "billed/m"));
        given().header("x-api-key", forged).contentType(ContentType.JSON).body(CHAT.formatted("billed/m"))
                .when().post("/v1/chat/completions").then().statusCode(401);
        given().header("api-key", "sk-not-a-key-at-all-0123456789").contentType(ContentType.JSON)
                .body(CHAT.formatted("billed/m")).when().post("/v1/chat/completions").then().statusCode(401);
        secrets.add(forged);
        secrets.add("sk-not-a-key-at-all-0123456789");
        // a virtual key on an admin route, then rotation and revocation
        given().auth().oauth2(key.secret()).when().get("/admin/keys").then().statusCode(403);
        String rotated = given().auth().oauth2(MockUpstream.MASTER_KEY).when().post("/admin/keys/" + key.id() + "/rotate")
                .then().statusCode(200).extract().path("key");
        secrets.add(rotated);
        assertEquals(401, chat(key.secret(), "billed/m"));
        assertEquals(200, chat(rotated, "billed/m"));
        given().auth().oauth2(MockUpstream.MASTER_KEY).when().delete("/admin/keys/" + key.id()).then().statusCode(200);
        assertEquals(401, chat(rotated, "billed/m"));

        assertTrue(capture.lines.stream().anyMatch(l -> l.contains("Incorrect API key provided: [redacted]")),
                "the provider's refusal quoting Sluice's key was logged, masked: " + capture.lines);
        assertTrue(capture.lines.stream().anyMatch(l -> l.contains(key.id())), "lines name keys by their id");
        for (String line : capture.lines) {
            for (String secret : secrets) {
                assertTrue(!line.contains(secret), "a key appears in a log line: " + line.replace(secret, "<KEY>"));
                // nor a recognisable part of one (all but its last four characters)
                String head = secret.substring(0, secret.length() - 4);
                assertTrue(head.length() < 12 || !line.contains(head), "most of a key appears in a log line: "
                        + line.replace(head, "<KEY>"));
            }
        }
        Map<String, Long> levels = new java.util.TreeMap<>();
        capture.lines.forEach(l -> levels.merge(l.split(" ")[1], 1L, Long::sum));
        assertTrue(levels.containsKey("DEBUG") || levels.containsKey("FINE"), "debug lines were captured too: " + levels);
    }
}
