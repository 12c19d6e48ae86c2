package dev.sluice.provider.azure;

import dev.sluice.provider.ProviderSettings;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How Azure settings are read: endpoint forms, deployment maps in both shapes, api-version per URL form. */
class AzureOptionsTest {

    private static ProviderSettings settings(String base, Map<String, String> options) {
        return new ProviderSettings("azure", "azure", base, Optional.of("key-123456"), Map.of(), List.of(),
                Duration.ofSeconds(30), options);
    }

    private static AzureDialect dialect(String base, Map<String, String> options) {
        ProviderSettings s = settings(base, options);
        return new AzureDialect(s, AzureOptions.from(s));
    }

    @Test
    void theEndpointMayBeGivenWithOrWithoutOpenAiPaths() {
        assertEquals("https://res.openai.azure.com/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21",
                dialect("https://res.openai.azure.com", Map.of()).chatCompletionsUrl("gpt-4o"));
        assertEquals("https://res.openai.azure.com/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21",
                dialect("https://res.openai.azure.com/openai", Map.of()).chatCompletionsUrl("gpt-4o"));
        AzureDialect v1 = dialect("https://res.openai.azure.com/openai/v1", Map.of("api-version", "2024-10-21"));
        assertEquals("https://res.openai.azure.com/openai/v1/chat/completions", v1.chatCompletionsUrl("gpt-4o"));
        assertEquals("https://res.openai.azure.com/openai/v1/embeddings", v1.embeddingsUrl("e"));
        assertEquals("https://res.openai.azure.com/openai/v1/chat/completions?api-version=preview",
                dialect("https://res.openai.azure.com", Map.of("endpoint-style", "v1", "api-version", "preview"))
                        .chatCompletionsUrl("gpt-4o"));
        assertThrows(IllegalStateException.class, () -> AzureOptions.from(settings("https://r", Map.of(
                "endpoint-style", "v2"))));
    }

    @Test
    void deploymentsComeFromEitherShapeAndAreEncodedInTheUrl() {
        AzureOptions options = AzureOptions.from(settings("https://r", Map.of(
                "deployments", "gpt-4o=list-dep, gpt-4.1-mini=mini",
                "deployments.gpt-4o", "keyed-dep",
                "deployments.\"o3.mini\"", "o3 mini dep")));
        assertEquals("keyed-dep", options.deployment("gpt-4o"), "one property per model wins over the list");
        assertEquals("mini", options.deployment("gpt-4.1-mini"));
        assertEquals("o3 mini dep", options.deployment("o3.mini"));
        assertEquals("unmapped", options.deployment("unmapped"));
        AzureDialect d = new AzureDialect(settings("https://r", Map.of()), options);
        assertEquals("https://r/openai/deployments/o3%20mini%20dep/chat/completions?api-version=2024-10-21",
                d.chatCompletionsUrl("o3.mini"));
        assertThrows(IllegalStateException.class, () -> AzureOptions.from(settings("https://r", Map.of(
                "deployments", "gpt-4o"))));
    }

    @Test
    void anEnvironmentVariableSpellingOfAnOptionIsUnderstood() {
        // SLUICE_PROVIDERS_AZURE_OPTIONS_API_VERSION reaches the options map as "api.version"
        assertTrue(dialect("https://r", Map.of("api.version", "2025-04-01-preview")).chatCompletionsUrl("m")
                .endsWith("?api-version=2025-04-01-preview"));
        assertFalse(dialect("https://r/openai/v1", Map.of("api.version", "2025-04-01-preview"))
                .chatCompletionsUrl("m").contains("api-version"));
    }

    @Test
    void theConventionalVariablesAreNamedWhenThePresetIsIncomplete() {
        AzureProviderFactory factory = new AzureProviderFactory();
        assertEquals("AZURE_OPENAI_API_KEY", factory.apiKeyVariable("azure"));
        assertEquals("AZURE_OPENAI_ENDPOINT", factory.baseUrlVariable("azure"));
        assertEquals("AZURE_EU_API_KEY", factory.apiKeyVariable("azure-eu"));
    }
}
