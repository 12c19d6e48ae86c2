package dev.sluice.provider.bedrock;

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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * On Bedrock, a Claude model's output limit, below which its thinking budget must stay when the client sets no
 * cap, is the {@code max_output} of the model's catalog entry under Anthropic's name, whatever Bedrock id, profile
 * or ARN the request used; a configured {@code max-output-tokens} option for the model still wins.
 */
class BedrockOutputLimitTest {

    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    private static final String OPUS = "us.anthropic.claude-opus-4-5-20251101-v1:0";

    private static BedrockOptions options(Map<String, String> configured, AtomicReference<Catalog> catalog) {
        Map<String, String> options = new HashMap<>(configured);
        options.put("region", "us-east-1");
        return BedrockOptions.from(new ProviderSettings("bedrock", "bedrock", BedrockOptions.runtimeUrl("us-east-1"),
                Optional.of("bedrock-api-key"), Map.of(), List.of(), Duration.ofSeconds(30), options), catalog::get);
    }

    /** The thinking budget sent for {@code reasoning_effort: xhigh} without an output cap. */
    private static int budget(BedrockOptions options) throws Exception {
        byte[] raw = ("{\"model\": \"" + OPUS + "\", \"reasoning_effort\": \"xhigh\", "
                + "\"messages\": [{\"role\": \"user\", \"content\": \"Prove it.\"}]}").getBytes(StandardCharsets.UTF_8);
        ObjectNode tree = (ObjectNode) JSON.readTree(raw);
        ChatBody chat = new ChatBody(raw, tree, JSON.treeToValue(tree, ChatCompletionRequest.class),
                t -> JSON.convertValue(t, ChatCompletionRequest.class));
        JsonNode body = new BedrockRequestMapper("bedrock", options, JSON, (url, param) -> null)
                .translate(chat, OPUS).await().indefinitely().body();
        return body.at("/additionalModelRequestFields/thinking/budget_tokens").asInt();
    }

    @Test
    void theBudgetStaysBelowTheCatalogsLimitUnlessConfigured() throws Exception {
        AtomicReference<Catalog> catalog = new AtomicReference<>(LiveCatalog.loadBundled());
        BedrockOptions defaults = options(Map.of(), catalog);
        assertEquals(32768, budget(defaults), "below the bundled 64000 of claude-opus-4-5");

        catalog.set(catalog.get().with(CatalogFiles.parse("""
                {"format": "sluice-catalog/1", "as_of": "2026-12-07", "models": {
                  "anthropic/claude-opus-4-5": {"context_window": 200000, "max_output": 10000}}}
                """.getBytes(StandardCharsets.UTF_8), "file", "limits.json", "2026-12-07")));
        assertEquals(5000, budget(defaults), "half of the catalog's lowered limit");

        assertEquals(32768, budget(options(Map.of("max-output-tokens.claude-opus-4-5", "40000"), catalog)),
                "the configured limit wins over the catalog");
        assertEquals(4096, options(Map.of(), catalog).claudeMaxOutput()
                .lookup(BedrockRequestMapper.claudeModel("anthropic.claude-3-opus-20240229-v1:0")));
    }
}
