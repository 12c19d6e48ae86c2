package dev.sluice.catalog;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The names people use, turned into the ids providers know, against the bundled catalog. */
class ModelNamesTest {

    private static final Catalog CATALOG = LiveCatalog.loadBundled();
    private static final ModelNames.Upstream ANTHROPIC = new ModelNames.Upstream("anthropic", "anthropic");
    private static final ModelNames.Upstream OPENAI = new ModelNames.Upstream("openai", "openai");

    private static Optional<ModelNames.Target> vendor(String name, Set<String> configured) {
        int slash = name.indexOf('/');
        return ModelNames.vendorModel(CATALOG, name.substring(0, slash), name.substring(slash + 1),
                key -> configured.contains(key) ? Optional.of(new ModelNames.Upstream(key, key)) : Optional.empty());
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"claude-opus-4.8, claude-opus-4-8", "claude-opus-4.5, claude-opus-4-5",
            "claude-3.5-sonnet-20240620, claude-3-5-sonnet-20240620", "claude-haiku-4-5, claude-haiku-4-5",
            "claude-sonnet-4-5-20250929, claude-sonnet-4-5-20250929"})
    void anthropicsDottedVersionsBecomeDashes(String name, String id) {
        assertEquals(id, ModelNames.canonical(CATALOG, ANTHROPIC, name));
    }

    @Test
    void otherProvidersKeepTheirDots() {
        assertEquals("gpt-4.1-mini", ModelNames.canonical(CATALOG, OPENAI, "gpt-4.1-mini"));
        assertEquals("claude-opus-4.5", ModelNames.canonical(CATALOG, new ModelNames.Upstream("openrouter", "openai"),
                "claude-opus-4.5"), "only Anthropic's own protocol uses dashes");
    }

    @Test
    void aVendorGoesToItsOwnApiWhenConfigured() {
        assertEquals(new ModelNames.Target("gemini", "gemini-2.5-pro"),
                vendor("google/gemini-2.5-pro", Set.of("gemini", "openrouter")).orElseThrow());
        assertEquals(new ModelNames.Target("gemini", "gemini-4-ultra"),
                vendor("google/gemini-4-ultra", Set.of("gemini")).orElseThrow(),
                "the vendor's own API takes models the catalog does not list yet");
    }

    @Test
    void otherwiseToAConfiguredProviderTheCatalogListsForTheModel() {
        assertEquals(new ModelNames.Target("groq", "llama-3.3-70b-versatile"),
                vendor("meta-llama/llama-3.3-70b-instruct", Set.of("groq", "together")).orElseThrow());
        assertEquals(new ModelNames.Target("together", "meta-llama/Llama-3.3-70B-Instruct-Turbo"),
                vendor("meta-llama/llama-3.3-70b-instruct", Set.of("together")).orElseThrow());
        assertEquals(new ModelNames.Target("openrouter", "google/gemini-2.5-pro"),
                vendor("google/gemini-2.5-pro", Set.of("openrouter")).orElseThrow(),
                "OpenRouter takes the vendor/model name as it is");
        assertEquals(new ModelNames.Target("openrouter", "deepseek/deepseek-chat"),
                vendor("deepseek/deepseek-chat", Set.of("openrouter")).orElseThrow());
    }

    @Test
    void noConfiguredProviderServingItMeansNoTarget() {
        assertTrue(vendor("google/gemini-2.5-pro", Set.of("openai")).isEmpty());
        assertTrue(vendor("meta-llama/llama-9-9000b", Set.of("groq", "together")).isEmpty(),
                "a model no configured provider is known to serve is not guessed");
        assertTrue(vendor("nobody/some-model", Set.of("openai", "groq")).isEmpty());
    }
}
