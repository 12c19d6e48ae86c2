package dev.sluice.catalog;

import org.junit.jupiter.api.Test;

import java.time.LocalDate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The catalog built into Sluice (src/main/catalog/models.json) parses with the runtime's own parser: a broken
 * edit fails the build, not a start-up.
 */
class CatalogBundleTest {

    private final Catalog bundled = LiveCatalog.loadBundled();

    @Test
    void theBundledCatalogIsDatedAndComplete() {
        LocalDate.parse(bundled.asOf());
        assertTrue(bundled.models().size() > 150, "models: " + bundled.models().size());
        for (CatalogModel m : bundled.models()) {
            assertTrue(m.price() != null, m.key() + " has no price");
            assertTrue(m.contextWindow() > 0, m.key() + " has no context window");
            assertEquals("bundled", m.source());
        }
    }

    @Test
    void entriesCarryLimitsCapabilitiesAndPrices() {
        CatalogModel opus = bundled.find("anthropic", "claude-opus-4-5-20251101").orElseThrow();
        assertEquals("claude-opus-4-5", opus.id());
        assertEquals(200_000, opus.contextWindow());
        assertEquals(64_000, opus.maxOutput());
        assertTrue(opus.supports(CatalogModel.TOOLS) && opus.supports(CatalogModel.VISION)
                && opus.supports(CatalogModel.REASONING), opus.capabilities().toString());
        assertEquals("6.25", opus.price().cacheWrite().toPlainString());
        CatalogModel embed = bundled.exact("openai", "text-embedding-3-small").orElseThrow();
        assertEquals(java.util.List.of("embeddings"), embed.outputModalities());
        assertFalse(embed.supports(CatalogModel.TOOLS));
    }

    @Test
    void vendorsNameTheProvidersServingThem() {
        assertEquals("gemini", bundled.vendor("google").orElseThrow().api());
        assertEquals(null, bundled.vendor("meta-llama").orElseThrow().api());
        assertTrue(bundled.vendor("meta-llama").orElseThrow().via().contains("groq"));
    }
}
