package dev.sluice.api;

import dev.sluice.testing.Http;
import dev.sluice.testing.MockUpstream;
import dev.sluice.testing.SluiceProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.http.HttpResponse;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The built-in presets as an operator switches them on: nothing but environment variables — each provider's
 * conventional key variable ({@code XAI_API_KEY}, ...), a local server's base-URL variable ({@code VLLM_BASE_URL}),
 * and {@code SLUICE_PROVIDERS_<NAME>_BASE_URL} pointing the presets at a local mock — given to the packaged
 * application. Requests reach each provider by {@code provider/model} and by the default bare-name rules.
 */
class ProviderPresetsIT {

    static MockUpstream mock = new MockUpstream();
    static SluiceProcess gateway;

    @BeforeAll
    static void start() throws Exception {
        Map<String, String> settings = mock.start();
        Map<String, String> env = new java.util.HashMap<>();
        for (String name : new String[] {"deepseek", "mistral", "xai", "openrouter", "together", "fireworks"}) {
            String upper = name.toUpperCase();
            env.put(upper + "_API_KEY", "sk-" + name + "-preset-key-0123456789");
            env.put("SLUICE_PROVIDERS_" + upper + "_BASE_URL", MockUpstream.url("/" + name + "/v1"));
        }
        // a keyless local server, configured by its conventional variable (no /v1: Sluice adds it)
        env.put("VLLM_BASE_URL", MockUpstream.url("/vllm"));
        gateway = SluiceProcess.start("provider-presets", Map.of(
                "sluice.master-key", MockUpstream.MASTER_KEY,
                "sluice.data-dir", settings.get("sluice.data-dir")), env);
    }

    @AfterAll
    static void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        mock.stop();
    }

    @BeforeEach
    void reset() {
        MockUpstream.reset();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "deepseek-chat, deepseek, deepseek-chat",
            "deepseek/deepseek-reasoner, deepseek, deepseek-reasoner",
            "mistral-large-latest, mistral, mistral-large-latest",
            "codestral-latest, mistral, codestral-latest",
            "grok-4, xai, grok-4",
            "openrouter/anthropic/claude-sonnet-4.5, openrouter, anthropic/claude-sonnet-4.5",
            "together/meta-llama/Llama-3.3-70B-Instruct-Turbo, together, meta-llama/Llama-3.3-70B-Instruct-Turbo",
            "fireworks/accounts/fireworks/models/llama-v3p1-8b-instruct, fireworks, accounts/fireworks/models/llama-v3p1-8b-instruct"})
    void aPresetSwitchedOnByItsKeyVariableServesItsModels(String model, String provider, String upstreamModel)
            throws Exception {
        HttpResponse<String> r = Http.post(gateway.url("/v1/chat/completions"), MockUpstream.MASTER_KEY,
                "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");

        assertEquals(200, r.statusCode(), r.body());
        assertEquals(provider, r.headers().firstValue("x-sluice-provider").orElse(null));
        MockUpstream.Received received = MockUpstream.last("/" + provider + "/v1/chat/completions");
        assertEquals("Bearer sk-" + provider + "-preset-key-0123456789", received.headers().get("Authorization"));
        assertEquals(upstreamModel, received.json().getString("model"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"vllm/Qwen/Qwen3-8B, Qwen/Qwen3-8B"})
    void aKeylessLocalServerIsSwitchedOnByItsBaseUrlVariable(String model, String upstreamModel) throws Exception {
        HttpResponse<String> r = Http.post(gateway.url("/v1/chat/completions"), MockUpstream.MASTER_KEY,
                "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");

        assertEquals(200, r.statusCode(), r.body());
        MockUpstream.Received received = MockUpstream.last("/vllm/v1/chat/completions");
        assertNull(received.headers().get("Authorization"), "a keyless server gets no key");
        assertEquals(upstreamModel, received.json().getString("model"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"groq/llama-3.1-8b-instant, groq", "ollama/llama3.2, ollama"})
    void aPresetWithoutItsVariableIsA404NamingTheSettingToAdd(String model, String provider) throws Exception {
        HttpResponse<String> r = Http.post(gateway.url("/v1/chat/completions"), MockUpstream.MASTER_KEY,
                "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");

        assertEquals(404, r.statusCode(), r.body());
        assertTrue(r.body().contains("\"code\":\"model_not_found\""), r.body());
        String variable = provider.equals("ollama") ? "OLLAMA_BASE_URL" : "GROQ_API_KEY";
        assertTrue(r.body().contains(variable), "the error names " + variable + ": " + r.body());
        assertFalse(MockUpstream.received().stream().anyMatch(x -> x.path().startsWith("/" + provider)));
    }
}
