package dev.sluice.routing;

import dev.sluice.testing.Http;
import dev.sluice.testing.MockUpstream;
import dev.sluice.testing.SluiceProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What an operator sees on the console when pointing the packaged gateway at a LiteLLM config.yaml that uses
 * settings Sluice does not apply: each is logged once at start-up (a setting used by several deployments in one
 * line naming them), and a reload of the same settings does not log them again.
 */
class RoutingStartupWarningsIT {

    static final String NAME = "routing-startup-warnings";
    static final String CONFIG = """
            model_list:
              - model_name: gpt-4o
                litellm_params: {model: openai/gpt-4o, api_base: "http://127.0.0.1:9/v1", api_key: sk-startup-key-a-0123,
                                 temperature: 0.2}
                model_info: {id: startup-a}
              - model_name: gpt-4o
                litellm_params: {model: openai/gpt-4o, api_base: "http://127.0.0.1:9/v1", api_key: sk-startup-key-b-0123,
                                 temperature: 0.7}
                model_info: {id: startup-b}
            router_settings:
              routing_strategy: simple-shuffle
              redis_host: localhost
            litellm_settings:
              success_callback: ["langfuse"]
              drop_params: true
            general_settings:
              master_key: sk-1234
            """;

    /** Where each unsupported setting must be named, exactly once. */
    static final List<String> REPORTED = List.of(
            "router_settings.redis_host: Sluice keeps routing state per instance",
            "litellm_settings.success_callback: not supported by Sluice; ignored",
            "litellm_settings.drop_params: Sluice forwards every parameter as sent; ignored",
            "general_settings.master_key: Sluice's master key is SLUICE_MASTER_KEY",
            "litellm_params.temperature: default request parameters and other litellm_params are not supported; "
                    + "ignored (startup-a, startup-b)");

    static int occurrences(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + part.length())) {
            n++;
        }
        return n;
    }

    @Test
    void unsupportedLiteLlmSettingsAreLoggedOnceAtStartUpAndNotAgainOnReload(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("config.yaml");
        Files.writeString(config, CONFIG);
        Files.deleteIfExists(Path.of("target", "it-logs", NAME + ".log"));
        Map<String, String> settings = Map.of(
                "sluice.routing.config-file", config.toString(),
                "sluice.routing.watch-interval", "0",
                "sluice.master-key", MockUpstream.MASTER_KEY,
                "sluice.data-dir", dir.resolve("data").toString());

        try (SluiceProcess gateway = SluiceProcess.start(NAME, settings)) {
            String atStart = gateway.log();
            for (String reported : REPORTED) {
                assertEquals(1, occurrences(atStart, reported), "logged once at start-up: " + reported + "\n" + atStart);
            }
            assertTrue(atStart.contains("Routing: 1 model group(s), 2 deployment(s)"), atStart);
            assertFalse(atStart.contains("sk-startup-key"), "keys never reach the log");

            Files.writeString(config, CONFIG.replace("temperature: 0.7", "temperature: 0.5"));
            HttpResponse<String> reload = Http.post(gateway.url("/admin/routes/reload"), MockUpstream.MASTER_KEY, "");
            assertEquals(200, reload.statusCode(), reload.body());

            long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (!gateway.log().contains("Routing: reloaded") && System.nanoTime() < until) {
                Thread.sleep(100);
            }
            String afterReload = gateway.log();
            assertTrue(afterReload.contains("Routing: reloaded"), afterReload);
            for (String reported : REPORTED) {
                assertEquals(1, occurrences(afterReload, reported), "not logged again on reload: " + reported);
            }
            assertTrue(reload.body().contains("success_callback"), "the reload's answer still lists them: " + reload.body());
        }
    }
}
