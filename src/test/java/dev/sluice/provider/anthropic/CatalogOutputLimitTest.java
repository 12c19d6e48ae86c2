package dev.sluice.provider.anthropic;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.openai.ChatBody;
import dev.sluice.openai.ChatCompletionRequest;
import dev.sluice.catalog.Catalog;
import dev.sluice.catalog.CatalogFiles;
import dev.sluice.catalog.LiveCatalog;
import dev.sluice.provider.ProviderSettings;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A Claude model's output limit comes from the model catalog's {@code max_output}: an operator's catalog file that
 * lowers it lowers the {@code max_tokens} Sluice derives for a request with a thinking budget, and a configured
 * {@code max-output-tokens} option for the model still wins over the catalog.
 */
class CatalogOutputLimitTest {

    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    private static final Catalog BUNDLED = LiveCatalog.loadBundled();

    /** The bundled catalog with an operator's file that gives Sonnet 4.5 a small output limit. */
    static final Catalog SMALL_SONNET = BUNDLED.with(CatalogFiles.parse("""
            {"format": "sluice-catalog/1", "as_of": "2026-12-07", "models": {
              "anthropic/claude-sonnet-4-5": {"context_window": 200000, "max_output": 12000,
                "price": {"input": "3.00", "output": "15.00"}}}}
            """.getBytes(StandardCharsets.UTF_8), "file", "limits.json", "2026-12-07"));

    static AnthropicOptions options(Map<String, String> options, AtomicReference<Catalog> catalog) {
        return AnthropicOptions.from(new ProviderSettings("claude", "anthropic", "https://api.anthropic.com",
                Optional.of("sk-ant-123456"), Map.of(), List.of(), Duration.ofSeconds(30), options), catalog::get);
    }

    /** The body sent to Anthropic for a request that asks for high reasoning effort and sets no output cap. */
    static JsonNode sent(AnthropicOptions options, String model) throws Exception {
        byte[] raw = ("{\"model\": \"" + model + "\", \"reasoning_effort\": \"high\", "
                + "\"messages\": [{\"role\": \"user\", \"content\": \"Prove it.\"}]}").getBytes(StandardCharsets.UTF_8);
        ObjectNode tree = (ObjectNode) JSON.readTree(raw);
        ChatBody chat = new ChatBody(raw, tree, JSON.treeToValue(tree, ChatCompletionRequest.class),
                t -> JSON.convertValue(t, ChatCompletionRequest.class));
        return new AnthropicRequestMapper("claude", options, JSON).translate(chat, model, false).body();
    }

    @Test
    void theCatalogsMaxOutputCapsTheDerivedMaxTokensAndTheBudget() throws Exception {
        AtomicReference<Catalog> catalog = new AtomicReference<>(BUNDLED);
        AnthropicOptions options = options(Map.of(), catalog);
        JsonNode bundled = sent(options, "claude-sonnet-4-5-20250929");
        assertEquals(16384 + 16384, bundled.get("max_tokens").asInt(), "default plus budget, below the bundled 64000");
        assertEquals(16384, bundled.at("/thinking/budget_tokens").asInt());

        catalog.set(SMALL_SONNET); // a refresh reaches the provider already built
        JsonNode lowered = sent(options, "claude-sonnet-4-5-20250929");
        assertEquals(12000, lowered.get("max_tokens").asInt());
        assertEquals(6000, lowered.at("/thinking/budget_tokens").asInt(), "the budget stays below the limit");
    }

    @Test
    void aConfiguredLimitForTheModelWinsOverTheCatalog() throws Exception {
        AtomicReference<Catalog> catalog = new AtomicReference<>(SMALL_SONNET);
        JsonNode raised = sent(options(Map.of("max-output-tokens.claude-sonnet-4-5", "20000"), catalog),
                "claude-sonnet-4-5-20250929");
        assertEquals(20000, raised.get("max_tokens").asInt());
        assertEquals(16384, raised.at("/thinking/budget_tokens").asInt());

        AnthropicOptions family = options(Map.of("max-output-tokens.claude", "20000"), catalog);
        assertEquals(12000, family.maxOutput().lookup("claude-sonnet-4-5-20250929"),
                "a family prefix does not override the catalog's entry for the model");
        assertEquals(20000, family.maxOutput().lookup("claude-sonnet-9"), "but covers a model the catalog lacks");
        catalog.set(BUNDLED.with(CatalogFiles.parse("""
                {"format": "sluice-catalog/1", "as_of": "2026-12-07", "models": {
                  "anthropic/claude-sonnet-4-5-20250929": {"context_window": 200000, "max_output": 12000}}}
                """.getBytes(StandardCharsets.UTF_8), "file", "dated.json", "2026-12-07")));
        assertEquals(12000, options(Map.of(), catalog).maxOutput().lookup("claude-sonnet-4-5-20250929"));
        assertEquals(20000, options(Map.of("max-output-tokens.claude-sonnet-4-5", "20000"), catalog).maxOutput()
                .lookup("claude-sonnet-4-5-20250929"), "an option naming the model also beats a dated entry");
        assertEquals(64000, options(Map.of(), catalog).maxOutput().lookup("claude-sonnet-9"),
                "neither knows it: the largest output of current Claude models");
    }

    @Test
    void aLimitBelowOneStopsStartUpNamingTheProperty() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> options(Map.of("max-output-tokens.claude-3", "0"), new AtomicReference<>(BUNDLED)));
        assertTrue(e.getMessage().contains("sluice.providers.claude.options.max-output-tokens.claude-3"),
                e.getMessage());
    }
}
