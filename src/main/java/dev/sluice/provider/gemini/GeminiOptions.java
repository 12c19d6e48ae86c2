package dev.sluice.provider.gemini;

import dev.sluice.provider.ModelTable;
import dev.sluice.provider.ProviderOptions;
import dev.sluice.provider.ProviderSettings;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Gemini adapter's settings, read once from {@code sluice.providers.<name>.options.*}:
 *
 * <ul>
 *   <li>{@code api-version}: the path version, {@code v1beta} (default; the version Google documents and the only
 *       one with thinking, JSON Schema and every tool feature) or {@code v1};</li>
 *   <li>{@code schema-mode}: how JSON Schemas (response_format, tool parameters) are sent: {@code json-schema}
 *       (default: {@code responseJsonSchema} / {@code parametersJsonSchema}, reduced to the JSON Schema subset
 *       Google documents for them) or {@code openapi} ({@code responseSchema} / {@code parameters}, converted to
 *       Gemini's OpenAPI subset, for older models and gateways); in both, unsupported keywords are removed
 *       ({@link GeminiSchema});</li>
 *   <li>{@code thinking-budget.<effort>}: the {@code thinkingBudget} each {@code reasoning_effort} maps to on
 *       budget-based models (Gemini 2.5);</li>
 *   <li>{@code thinking-level-models} (default {@code gemini-3}): model prefixes that take {@code thinkingLevel}
 *       instead of a budget; {@code thinking-level.<effort>} maps each effort to a level;</li>
 *   <li>{@code signature-models} (default {@code gemini-3}): model prefixes that refuse a function call sent back
 *       without its thought signature; a call the client returns without one gets Google's documented
 *       validator-skip value rather than a 400;</li>
 *   <li>{@code image-urls}: {@code inline} (default: http(s) image URLs are fetched by Sluice through the web
 *       fetcher's address guard and sent inline) or {@code file-data} (sent as {@code fileData} for Google to
 *       fetch); Files API URIs, {@code gs://} URIs and YouTube links always go as {@code fileData};</li>
 *   <li>{@code image-max-bytes} (default 20 MB, Gemini's inline request limit) and {@code image-timeout}
 *       (default 15 s): the cap and deadline of one fetched image.</li>
 * </ul>
 */
record GeminiOptions(String apiVersion, boolean jsonSchema, Map<String, Integer> thinkingBudgets,
                     ModelTable<Boolean> thinkingLevelModels, Map<String, String> thinkingLevels,
                     ModelTable<Boolean> signatureModels, boolean fetchImageUrls, long imageMaxBytes,
                     Duration imageTimeout) {

    static final Map<String, Integer> THINKING_BUDGETS = Map.of(
            "none", 0,
            "minimal", 512,
            "low", 1024,
            "medium", 8192,
            "high", 24576,
            "xhigh", 32768);

    /** The two levels every Gemini 3 model accepts; Flash also takes minimal and medium (configurable). */
    static final Map<String, String> THINKING_LEVELS = Map.of(
            "none", "low",
            "minimal", "low",
            "low", "low",
            "medium", "high",
            "high", "high",
            "xhigh", "high");

    static final long DEFAULT_IMAGE_MAX_BYTES = 20L * 1024 * 1024;

    static GeminiOptions from(ProviderSettings settings) {
        ProviderOptions options = new ProviderOptions(settings);
        Map<String, Integer> budgets = options.perEffort("thinking-budget", THINKING_BUDGETS,
                options.keyedIntegers("thinking-budget"));
        Map<String, String> levels = options.perEffort("thinking-level", THINKING_LEVELS,
                options.keyed("thinking-level"));
        levels.replaceAll((effort, level) -> level.toLowerCase(java.util.Locale.ROOT));
        Map<String, Boolean> levelModels = new LinkedHashMap<>();
        options.list("thinking-level-models", List.of("gemini-3")).forEach(p -> levelModels.put(p, true));
        Map<String, Boolean> signatureModels = new LinkedHashMap<>();
        options.list("signature-models", List.of("gemini-3")).forEach(p -> signatureModels.put(p, true));
        String version = options.choice("api-version", "v1beta", "v1beta", "v1", "v1alpha");
        String schema = options.choice("schema-mode", "json-schema", "json-schema", "openapi");
        String images = options.choice("image-urls", "inline", "inline", "file-data");
        long maxBytes = options.string("image-max-bytes")
                .map(v -> parseSize(options, v))
                .orElse(DEFAULT_IMAGE_MAX_BYTES);
        Duration timeout = options.string("image-timeout").map(v -> parseDuration(options, v))
                .orElse(Duration.ofSeconds(15));
        return new GeminiOptions(version, "json-schema".equals(schema), Map.copyOf(budgets),
                new ModelTable<>(levelModels, false), Map.copyOf(levels), new ModelTable<>(signatureModels, false),
                "inline".equals(images), maxBytes, timeout);
    }

    private static long parseSize(ProviderOptions options, String value) {
        String v = value.strip().toUpperCase(java.util.Locale.ROOT);
        long factor = 1;
        if (v.endsWith("K")) {
            factor = 1024;
        } else if (v.endsWith("M")) {
            factor = 1024 * 1024;
        } else if (v.endsWith("G")) {
            factor = 1024L * 1024 * 1024;
        }
        String digits = factor == 1 ? v : v.substring(0, v.length() - 1);
        try {
            long n = Long.parseLong(digits.strip()) * factor;
            if (n < 1) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalStateException(options.property("image-max-bytes") + "=" + value
                    + " is not a size such as 5M");
        }
    }

    private static Duration parseDuration(ProviderOptions options, String value) {
        String v = value.strip().toLowerCase(java.util.Locale.ROOT);
        try {
            if (v.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
            }
            if (v.endsWith("s")) {
                return Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1)));
            }
            return Duration.parse(value.strip());
        } catch (RuntimeException e) {
            throw new IllegalStateException(options.property("image-timeout") + "=" + value
                    + " is not a duration such as 15s");
        }
    }

    /** Whether the model takes {@code thinkingLevel} rather than {@code thinkingBudget}. */
    boolean thinkingLevel(String model) {
        return thinkingLevelModels.lookup(model);
    }

    boolean requiresSignatures(String model) {
        return signatureModels.lookup(model);
    }
}
