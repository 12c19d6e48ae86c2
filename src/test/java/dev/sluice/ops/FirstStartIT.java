package dev.sluice.ops;

import dev.sluice.testing.PackagedApplication;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's first command on a machine with nothing configured: the packaged gateway (jar or native
 * executable, whichever the build produced), started with an empty environment (no provider key, no region, no
 * database) in an empty directory, becomes ready on its embedded defaults, generates its master key (printing only where it is stored)
 * once, and answers with clear errors.
 */
class FirstStartIT {

    @Test
    void startsOnEmbeddedDefaultsWithNothingConfigured(@TempDir Path workDir) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        // the jar or the native executable, whichever the build packaged
        List<String> command = PackagedApplication.current().command(List.of(),
                Map.of("quarkus.http.port", String.valueOf(port), "quarkus.http.host", "127.0.0.1"));
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(workDir.toFile()).redirectErrorStream(true)
                .redirectOutput(workDir.resolve("console.log").toFile());
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(k -> !List.of("PATH", "HOME", "LANG", "TMPDIR").contains(k));
        Process process = builder.start();
        try {
            HttpClient http = HttpClient.newHttpClient();
            String base = "http://127.0.0.1:" + port;
            int ready = 0;
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (ready != 200 && System.nanoTime() < deadline) {
                assertTrue(process.isAlive(), () -> "the gateway exited: " + read(workDir.resolve("console.log")));
                try {
                    ready = http.send(HttpRequest.newBuilder(URI.create(base + "/q/health/ready")).build(),
                            HttpResponse.BodyHandlers.discarding()).statusCode();
                } catch (IOException notYet) {
                    Thread.sleep(200);
                }
            }
            assertEquals(200, ready, () -> read(workDir.resolve("console.log")));

            String key = Files.readString(workDir.resolve("data/master.key")).strip();
            String console = read(workDir.resolve("console.log"));
            // the console is a file here, not a terminal: it says where the key is, never what it is
            assertFalse(console.contains(key), "the generated master key stays out of a non-interactive log");
            assertTrue(console.contains("master.key"), "the console says where the generated key is: " + console);
            assertTrue(Files.exists(workDir.resolve("data/sluice.db")), "the embedded store lives in the data directory");

            HttpResponse<String> models = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/models"))
                    .header("Authorization", "Bearer " + key).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, models.statusCode());
            assertEquals("list", new JsonObject(models.body()).getString("object"));

            HttpResponse<String> chat = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/chat/completions"))
                    .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":"
                            + "\"user\",\"content\":\"Hi\"}]}")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(404, chat.statusCode());
            assertTrue(chat.body().contains("OPENAI_API_KEY"), "the error says which setting is missing: " + chat.body());
        } finally {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "";
        }
    }
}
