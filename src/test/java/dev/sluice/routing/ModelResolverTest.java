package dev.sluice.routing;

import dev.sluice.provider.ResolvedModel;
import dev.sluice.openai.ApiException;
import dev.sluice.testing.MockUpstream;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How a requested model name finds its provider: aliases, {@code provider/model}, and the default bare-name rules. */
@QuarkusTest
@WithTestResource(MockUpstream.class)
class ModelResolverTest {

    @Inject
    ModelResolver resolver;

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "gpt-4o, openai", "gpt-4.1-mini, openai", "o1-preview, openai", "o1, openai", "o3-mini, openai",
            "o4-mini, openai", "chatgpt-4o-latest, openai",
            "claude-opus-4-1, anthropic", "claude-3-5-haiku-20241022, anthropic",
            "gemini-2.5-pro, gemini", "gemini-2.0-flash, gemini",
            "deepseek-chat, deepseek", "deepseek-reasoner, deepseek",
            "grok-4, xai", "grok-3-mini, xai",
            "mistral-large-latest, mistral", "ministral-8b-latest, mistral", "codestral-latest, mistral"})
    void bareNamesFollowTheDefaultRules(String model, String provider) {
        assertEquals(provider, resolver.providerForBareName(model).orElse(null));
    }

    @Test
    void aBareNameNoRuleMatchesHasNoProvider() {
        assertTrue(resolver.providerForBareName("llama-3.1-8b-instant").isEmpty());
    }

    @ParameterizedTest(name = "{0} -> {1}/{2}")
    @CsvSource({
            "gpt-4o, openai, gpt-4o",
            "claude-sonnet-4-5, anthropic, claude-sonnet-4-5",
            "gemini-2.5-flash, gemini, gemini-2.5-flash",
            "openai/gpt-4o-mini, openai, gpt-4o-mini",
            "groq/meta-llama/llama-4-scout, groq, meta-llama/llama-4-scout",
            "fast, groq, llama-3.1-8b-instant",
            "smart, openai, gpt-4o"})
    void enabledProvidersResolveToTheUpstreamModel(String requested, String provider, String model) {
        ResolvedModel resolved = resolver.resolve(requested);
        assertEquals(provider, resolved.provider().name());
        assertEquals(model, resolved.model());
        assertEquals(requested, resolved.requested());
    }

    @Test
    void aRuleThatPointsToAProviderWithoutAKeyIsA404NamingTheMissingSetting() {
        ApiException e = assertThrows(ApiException.class, () -> resolver.resolve("grok-4"));
        assertEquals(404, e.status());
        assertEquals("model_not_found", e.code());
        assertTrue(e.getMessage().contains("'xai'") && e.getMessage().contains("XAI_API_KEY"), e.getMessage());
    }
}
