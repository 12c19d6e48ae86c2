package dev.sluice.catalog;

import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads LiteLLM's community-kept {@code model_prices_and_context_window.json}: one object per model, prices in
 * USD per token, {@code litellm_provider} naming the provider and {@code supports_*} flags. Its provider names are
 * mapped to Sluice's ({@code together_ai} → {@code together}); prices become USD per million tokens. An entry
 * whose fields cannot be read is skipped and counted rather than failing the whole file: the file is large and
 * edited by many hands, and one odd entry must not hold back every other price.
 */
final class LiteLlmCatalog {

    /** LiteLLM's provider names where Sluice's differ. */
    private static final Map<String, String> PROVIDERS = Map.ofEntries(
            Map.entry("text-completion-openai", "openai"),
            Map.entry("bedrock_converse", "bedrock"),
            Map.entry("together_ai", "together"),
            Map.entry("fireworks_ai", "fireworks"),
            Map.entry("vertex_ai-language-models", "vertex"),
            Map.entry("vertex_ai-anthropic_models", "vertex"),
            Map.entry("mistralai", "mistral"));
    private static final BigDecimal PER_MILLION = BigDecimal.valueOf(1_000_000);

    private LiteLlmCatalog() {
    }

    /** Whether most of the object's entries look like LiteLLM's (an object with a {@code litellm_provider}). */
    static boolean recognises(JsonNode root) {
        int seen = 0;
        int litellm = 0;
        for (Iterator<JsonNode> it = root.elements(); it.hasNext() && seen < 20; seen++) {
            if (it.next().hasNonNull("litellm_provider")) {
                litellm++;
            }
        }
        return litellm > 0 && litellm * 2 >= seen - 1;
    }

    static Catalog parse(JsonNode root, String source, String location, String asOf) {
        Map<String, CatalogModel> models = new LinkedHashMap<>();
        int skipped = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode n = e.getValue();
            if (e.getKey().equals("sample_spec") || !n.isObject() || !n.hasNonNull("litellm_provider")) {
                continue;
            }
            List<String> problems = new ArrayList<>();
            CatalogModel m = entry(e.getKey(), n, source, asOf, problems);
            if (m == null || !problems.isEmpty()) {
                skipped++;
            } else {
                models.putIfAbsent(m.key(), m);
            }
        }
        if (models.isEmpty()) {
            throw new CatalogException(location + ": no usable model in this LiteLLM price file");
        }
        return new Catalog(models, Map.of(),
                List.of(new Catalog.Layer(source, location, asOf, models.size(), skipped)));
    }

    private static CatalogModel entry(String key, JsonNode n, String source, String asOf, List<String> problems) {
        String litellm = n.get("litellm_provider").asText();
        String provider = PROVIDERS.getOrDefault(litellm, litellm);
        String id = key;
        for (String prefix : List.of(litellm + "/", provider + "/")) {
            if (id.startsWith(prefix)) {
                id = id.substring(prefix.length());
                break;
            }
        }
        if (id.isEmpty()) {
            return null;
        }
        String where = key;
        int context = CatalogFiles.count(n.path("max_input_tokens"), where, problems);
        int maxOutput = CatalogFiles.count(n.has("max_output_tokens") ? n.path("max_output_tokens")
                : n.path("max_tokens"), where, problems);
        Set<String> caps = new LinkedHashSet<>();
        flag(n, "supports_function_calling", CatalogModel.TOOLS, caps);
        flag(n, "supports_vision", CatalogModel.VISION, caps);
        flag(n, "supports_response_schema", CatalogModel.JSON_SCHEMA, caps);
        flag(n, "supports_reasoning", CatalogModel.REASONING, caps);
        List<String> in = n.has("supported_modalities")
                ? CatalogFiles.strings(n.path("supported_modalities"), where, problems)
                : caps.contains(CatalogModel.VISION) ? List.of("text", "image") : List.of("text");
        List<String> out = n.has("supported_output_modalities")
                ? CatalogFiles.strings(n.path("supported_output_modalities"), where, problems)
                : "embedding".equals(n.path("mode").asText()) ? List.of("embeddings") : List.of("text");
        ModelPrice price = null;
        BigDecimal input = perMillion(n.path("input_cost_per_token"), where, problems);
        if (input != null) {
            BigDecimal output = perMillion(n.path("output_cost_per_token"), where, problems);
            BigDecimal cached = perMillion(n.path("cache_read_input_token_cost"), where, problems);
            BigDecimal write = perMillion(n.path("cache_creation_input_token_cost"), where, problems);
            price = new ModelPrice(input, output == null ? BigDecimal.ZERO : output, cached == null ? input : cached,
                    write == null ? input : write,
                    micros(CatalogFiles.decimal(n.path("input_cost_per_image"), where, false, problems)),
                    micros(CatalogFiles.decimal(n.path("input_cost_per_request"), where, false, problems)));
        }
        String deprecation = n.path("deprecation_date").asText(null);
        if (deprecation != null && !CatalogFiles.isDate(deprecation)) {
            deprecation = null;
        }
        return new CatalogModel(provider, id, List.of(), context, maxOutput, in, out, Set.copyOf(caps), price,
                deprecation, source, asOf);
    }

    private static void flag(JsonNode n, String field, String capability, Set<String> caps) {
        if (n.path(field).asBoolean(false)) {
            caps.add(capability);
        }
    }

    private static BigDecimal micros(BigDecimal usd) {
        return usd == null ? null : usd.setScale(6, RoundingMode.UP).stripTrailingZeros();
    }

    private static BigDecimal perMillion(JsonNode n, String where, List<String> problems) {
        BigDecimal perToken = CatalogFiles.decimal(n, where, false, problems);
        // Sluice counts in micro-dollars: a finer price is rounded up, never charged below the list price
        return perToken == null ? null : perToken.multiply(PER_MILLION).setScale(6, RoundingMode.UP).stripTrailingZeros();
    }
}
