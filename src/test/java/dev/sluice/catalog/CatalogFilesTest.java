package dev.sluice.catalog;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Both catalog formats, and what a broken catalog is told. */
class CatalogFilesTest {

    static final String LITELLM = """
            {
              "sample_spec": {"max_tokens": "LEGACY", "input_cost_per_token": 0.0, "litellm_provider": "one of..."},
              "gpt-9": {"max_input_tokens": 400000, "max_output_tokens": 128000, "input_cost_per_token": 2.5e-06,
                        "output_cost_per_token": 1.5e-05, "cache_read_input_token_cost": 2.5e-07,
                        "litellm_provider": "openai", "mode": "chat", "supports_function_calling": true,
                        "supports_vision": true, "supports_response_schema": true, "supports_reasoning": true},
              "together_ai/meta-llama/Llama-5-70B": {"max_input_tokens": 131072, "input_cost_per_token": 8.8e-07,
                        "output_cost_per_token": 8.8e-07, "litellm_provider": "together_ai", "mode": "chat",
                        "deprecation_date": "2027-01-31"},
              "text-embedding-9": {"max_input_tokens": 8191, "input_cost_per_token": 1e-08, "output_cost_per_token": 0,
                        "litellm_provider": "openai", "mode": "embedding"},
              "odd-one": {"max_input_tokens": "lots", "input_cost_per_token": 1e-06, "litellm_provider": "openai"}
            }
            """;

    private static Catalog parse(String json) {
        return CatalogFiles.parse(json.getBytes(StandardCharsets.UTF_8), "file", "test.json", "2026-12-01");
    }

    @Test
    void liteLlmPricesPerTokenBecomePricesPerMillionUnderSluicesProviderNames() {
        Catalog c = parse(LITELLM);
        CatalogModel gpt9 = c.exact("openai", "gpt-9").orElseThrow();
        assertEquals("2.5", gpt9.price().input().toPlainString());
        assertEquals("15", gpt9.price().output().toPlainString());
        assertEquals("0.25", gpt9.price().cachedInput().toPlainString());
        assertEquals("2.5", gpt9.price().cacheWrite().toPlainString(), "no cache-write price: the input price");
        assertEquals(400_000, gpt9.contextWindow());
        assertEquals(128_000, gpt9.maxOutput());
        assertEquals(java.util.Set.of("tools", "vision", "json_schema", "reasoning"), gpt9.capabilities());
        assertEquals("2026-12-01", gpt9.asOf());
        CatalogModel llama = c.exact("together", "meta-llama/Llama-5-70B").orElseThrow();
        assertEquals("0.88", llama.price().output().toPlainString());
        assertEquals("2027-01-31", llama.deprecationDate());
        assertEquals(java.util.List.of("embeddings"), c.exact("openai", "text-embedding-9").orElseThrow()
                .outputModalities());
        assertTrue(c.exact("openai", "odd-one").isEmpty());
        assertEquals(1, c.layers().get(0).skipped(), "the unreadable entry is counted, not fatal");
    }

    @Test
    void sluicesFormatCarriesEveryField() {
        Catalog c = parse("""
                {"format": "sluice-catalog/1", "as_of": "2026-11-30", "vendors": {"google": {"api": "gemini"}},
                 "models": {"gemini/gemini-9-pro": {"aliases": ["gemini-9-pro-latest"], "context_window": 2000000,
                   "max_output": 65536, "modalities": {"input": ["text", "image", "audio"], "output": ["text"]},
                   "capabilities": ["tools", "vision"], "price": {"input": "1.25", "output": "10", "per_image": "0.001",
                   "per_request": "0.035"}, "deprecation_date": "2028-01-01"}}}
                """);
        CatalogModel m = c.exact("gemini", "gemini-9-pro").orElseThrow();
        assertEquals(2_000_000, m.contextWindow());
        assertEquals("0.001", m.price().perImage().toPlainString());
        assertEquals("0.035", m.price().perRequest().toPlainString());
        assertEquals("1.25", m.price().cachedInput().toPlainString());
        assertEquals("2028-01-01", m.deprecationDate());
        assertEquals("2026-11-30", c.asOf());
        assertEquals(m, c.byAlias("gemini-9-pro-latest").get(0));
        assertNull(c.exact("gemini", "gemini-9-pro-latest").orElse(null));
    }

    @Test
    void aBrokenSluiceCatalogListsEveryProblem() {
        CatalogException e = assertThrows(CatalogException.class, () -> parse("""
                {"format": "sluice-catalog/1", "as_of": "yesterday",
                 "models": {"no-slash": {}, "openai/x": {"price": {"input": "-1"}, "capabilities": ["telepathy"],
                   "context_window": "big"}}}
                """));
        String all = String.join("\n", e.problems());
        for (String expected : new String[]{"as_of", "models.\"no-slash\": the key must be provider/model",
                "price.input: a price cannot be negative", "price.output is required", "unknown capability 'telepathy'",
                "context_window: 'big' is not a token count"}) {
            assertTrue(all.contains(expected), expected + " missing from:\n" + all);
        }
    }

    @Test
    void notJsonOrNotACatalogIsSaidPlainly() {
        assertTrue(assertThrows(CatalogException.class, () -> parse("<html>rate limited</html>")).getMessage()
                .contains("test.json: not valid JSON"));
        assertTrue(assertThrows(CatalogException.class, () -> parse("{\"hello\": 1}")).getMessage()
                .contains("neither a Sluice catalog"));
        assertTrue(assertThrows(CatalogException.class, () -> parse("[1, 2]")).getMessage()
                .contains("a catalog is a JSON object"));
    }

    @Test
    void aLaterLayerReplacesEntriesAndKeepsTheRest() {
        Catalog base = parse("""
                {"format": "sluice-catalog/1", "as_of": "2026-01-01", "models": {
                  "openai/a": {"price": {"input": "1", "output": "2"}}, "openai/b": {"price": {"input": "1", "output": "2"}}}}
                """);
        Catalog merged = base.with(parse("""
                {"format": "sluice-catalog/1", "as_of": "2026-02-01", "models": {
                  "openai/b": {"price": {"input": "3", "output": "4"}}}}
                """));
        assertEquals("1", merged.exact("openai", "a").orElseThrow().price().input().toPlainString());
        assertEquals("3", merged.exact("openai", "b").orElseThrow().price().input().toPlainString());
        assertEquals("2026-02-01", merged.asOf());
    }
}
