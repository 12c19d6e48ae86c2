package dev.sluice.ops;

import dev.sluice.testing.MockUpstream;
import dev.sluice.testing.SluiceProcess;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A log line about a request carries that request's id, in the console format and in JSON logs (what the k8s
 * ConfigMap turns on): here the warning written when the upstream fails, read from the packaged application's own
 * output. The provider's key never appears in it.
 */
class RequestLogsIT {

    private static final String WARNING = "Provider broken failed";

    static MockUpstream upstream = new MockUpstream();
    static Map<String, String> settings;

    @BeforeAll
    static void start() {
        settings = new HashMap<>(upstream.start());
    }

    @AfterAll
    static void stop() {
        upstream.stop();
    }

    @Test
    void theUpstreamFailureWarningCarriesTheRequestIdInConsoleLogs() throws Exception {
        try (SluiceProcess gateway = SluiceProcess.start("request-logs-console", settings)) {
            String requestId = "log-console-" + System.nanoTime();
            assertFailsUpstream(gateway, requestId);

            String line = awaitLogLine(gateway, WARNING);
            assertTrue(line.contains(requestId), "the warning names its request: " + line);
            assertFalse(gateway.log().contains("sk-broken-key-123456"), "the provider key is never logged");
        }
    }

    @Test
    void theUpstreamFailureWarningCarriesTheRequestIdInJsonLogs() throws Exception {
        Map<String, String> json = new HashMap<>(settings);
        json.put("quarkus.log.console.json.enabled", "true");
        try (SluiceProcess gateway = SluiceProcess.start("request-logs-json", json)) {
            String requestId = "log-json-" + System.nanoTime();
            assertFailsUpstream(gateway, requestId);

            JsonObject record = new JsonObject(awaitLogLine(gateway, WARNING));
            assertTrue(record.getString("message").contains(WARNING), record.encode());
            assertEquals(requestId, record.getJsonObject("mdc", new JsonObject()).getString("requestId"),
                    "the JSON record carries the request id: " + record.encode());
        }
    }

    private static void assertFailsUpstream(SluiceProcess gateway, String requestId) throws Exception {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(gateway.url("/v1/chat/completions")))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + MockUpstream.MASTER_KEY)
                .header("Content-Type", "application/json")
                .header("x-request-id", requestId)
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"broken/gpt-4o\","
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertTrue(r.statusCode() >= 500, r.statusCode() + " " + r.body());
        assertEquals(requestId, r.headers().firstValue("x-request-id").orElse(null));
    }

    /**
     * The last line of the instance's output that contains {@code text} (the log file is appended to across runs),
     * waiting for one up to 20 s.
     */
    private static String awaitLogLine(SluiceProcess gateway, String text) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            Optional<String> line = List.of(gateway.log().split("\n")).stream().filter(l -> l.contains(text))
                    .reduce((first, second) -> second);
            if (line.isPresent()) {
                return line.get();
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no log line with '" + text + "' within 20 s:\n" + gateway.log());
            }
            Thread.sleep(100);
        }
    }
}
