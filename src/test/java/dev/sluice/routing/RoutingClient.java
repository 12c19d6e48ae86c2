package dev.sluice.routing;

import dev.sluice.testing.MockUpstream;
import dev.sluice.testing.Sse;
import io.restassured.RestAssured;
import io.restassured.config.HttpClientConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.function.ThrowingSupplier;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The client side of the routing tests, bounded everywhere: every request gives up after {@link #LIMIT} (a
 * regression fails the test instead of hanging the suite), and {@link #within} bounds a whole exchange, stream
 * bodies included, by a deadline that proves it does not hang.
 */
final class RoutingClient {

    /** The most any single request of the routing tests may take before the test fails. */
    static final Duration LIMIT = Duration.ofSeconds(25);

    /** Generous: proves an exchange ends, not how fast. */
    static final Duration ENDS = Duration.ofSeconds(20);

    private static final HttpClient ASYNC = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private RoutingClient() {
    }

    /** RestAssured with explicit connect, pool and read timeouts, whatever the global configuration says. */
    static RestAssuredConfig bounded() {
        int millis = (int) LIMIT.toMillis();
        return RestAssured.config().httpClient(HttpClientConfig.httpClientConfig()
                .setParam("http.connection.timeout", 5_000)
                .setParam("http.conn-manager.timeout", 5_000L)
                .setParam("http.socket.timeout", millis));
    }

    static String body(String model) {
        return "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
    }

    static String streamBody(String model) {
        return "{\"model\":\"" + model + "\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
    }

    static Response chat(String body) {
        return given().config(bounded()).auth().oauth2(MockUpstream.MASTER_KEY).contentType(ContentType.JSON)
                .body(body).when().post("/v1/chat/completions");
    }

    /** The result of {@code call}, which must end within {@code limit}; a call still running then fails the test. */
    static <T> T within(Duration limit, ThrowingSupplier<T> call) {
        return assertTimeoutPreemptively(limit, call, () -> "did not end within " + limit.toMillis() + " ms");
    }

    /** Sends {@code n} requests at once, each bounded by {@link #LIMIT}. */
    static List<CompletableFuture<HttpResponse<String>>> parallel(int n, String body) {
        List<CompletableFuture<HttpResponse<String>>> all = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            all.add(ASYNC.sendAsync(Sse.post("/v1/chat/completions", body).timeout(LIMIT).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        return all;
    }

    /** Polls until the condition holds; fails the test if it does not within {@code limit}. */
    static void await(String what, Duration limit, BooleanSupplier condition) throws InterruptedException {
        long until = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < until, what + " within " + limit.toMillis() + " ms");
            Thread.sleep(20);
        }
    }

    /** One deployment as {@code GET /admin/routes} shows it. */
    static JsonPath deployment(String id) {
        JsonPath routes = given().config(bounded()).auth().oauth2(MockUpstream.MASTER_KEY).get("/admin/routes")
                .then().statusCode(200).extract().jsonPath();
        Map<String, Object> found = null;
        for (Map<String, Object> g : routes.<Map<String, Object>>getList("groups")) {
            for (Object d : (List<?>) g.get("deployments")) {
                if (id.equals(((Map<?, ?>) d).get("id"))) {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> m = (Map<String, Object>) d;
                    found = m;
                }
            }
        }
        if (found == null) {
            throw new AssertionError("no deployment " + id + " in /admin/routes");
        }
        return new JsonPath(new JsonObject(found).encode());
    }

    /** The Prometheus text of {@code /q/metrics}. */
    static String metrics() {
        return given().config(bounded()).auth().oauth2(MockUpstream.MASTER_KEY).get("/q/metrics").then().statusCode(200).extract().asString();
    }
}
