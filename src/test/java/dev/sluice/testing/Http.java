package dev.sluice.testing;

import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A plain HTTP client for tests that talk to child-process instances. */
public final class Http {

    public static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private Http() {
    }

    public static HttpResponse<String> post(String url, String key, String json) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    public static HttpResponse<String> get(String url, String key) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + key).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    public static HttpResponse<String> delete(String url, String key) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + key).DELETE().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Creates a virtual key through an instance's admin API. */
    public static VirtualKeys.Key createKey(String baseUrl, String json) throws Exception {
        HttpResponse<String> r = post(baseUrl + "/admin/keys", MockUpstream.MASTER_KEY, json);
        if (r.statusCode() != 201) {
            throw new AssertionError("key creation failed: " + r.statusCode() + " " + r.body());
        }
        JsonObject body = new JsonObject(r.body());
        return new VirtualKeys.Key(body.getString("id"), body.getString("key"));
    }
}
