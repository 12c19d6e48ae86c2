package dev.sluice.testing;

import io.vertx.core.json.JsonObject;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A streaming HTTP client for tests: reads an SSE response event by event, noting when each arrived. */
public final class Sse {

    /** One received event and the moment it arrived (System.nanoTime). */
    public record Event(String data, long arrivedNanos) {
        public JsonObject json() {
            return new JsonObject(data);
        }

        public boolean done() {
            return "[DONE]".equals(data);
        }
    }

    /** A whole exchange: status, content type, the events. */
    public record Result(int status, String contentType, List<Event> events, String rawBody) {
        public List<JsonObject> chunks() {
            return events.stream().filter(e -> !e.done()).map(Event::json).toList();
        }
    }

    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private Sse() {
    }

    public static HttpRequest.Builder post(String path, String body) {
        return HttpRequest.newBuilder(URI.create("http://localhost:" + io.restassured.RestAssured.port + path))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + MockUpstream.MASTER_KEY)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
    }

    public static Result send(HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<java.io.InputStream> response = CLIENT.send(request, HttpResponse.BodyHandlers.ofInputStream());
        List<Event> events = new ArrayList<>();
        StringBuilder raw = new StringBuilder();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                raw.append(line).append('\n');
                if (line.startsWith("data: ")) {
                    events.add(new Event(line.substring(6), System.nanoTime()));
                }
            }
        }
        return new Result(response.statusCode(), response.headers().firstValue("content-type").orElse(""), events,
                raw.toString());
    }

    /** Opens a stream and returns the live response, for tests that hang up early. */
    public static HttpResponse<java.io.InputStream> open(HttpRequest request) throws IOException, InterruptedException {
        return CLIENT.send(request, HttpResponse.BodyHandlers.ofInputStream());
    }
}
