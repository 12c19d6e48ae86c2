package dev.sluice.provider.anthropic;

import dev.sluice.catalog.Catalog;
import dev.sluice.catalog.LiveCatalog;
import dev.sluice.provider.ClaudeThinking;
import dev.sluice.provider.ModelTable;
import dev.sluice.provider.OutputLimits;
import dev.sluice.provider.ProviderOptions;
import dev.sluice.provider.ProviderSettings;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The Anthropic adapter's settings, read once from {@code sluice.providers.<name>.options.*}:
 *
 * <ul>
 *   <li>{@code anthropic-version}: the {@code anthropic-version} header (default {@value #DEFAULT_VERSION});</li>
 *   <li>{@code default-max-tokens} and {@code max-tokens.<model-prefix>}: the {@code max_tokens} sent when the
 *       client gave neither {@code max_tokens} nor {@code max_completion_tokens} (Anthropic requires one);</li>
 *   <li>{@code max-output-tokens.<model-prefix>}: overrides the model catalog's {@code max_output}, the most a
 *       model can write, as {@link OutputLimits} says; a {@code max_tokens} Sluice derives (default plus thinking
 *       budget) never exceeds it;</li>
 *   <li>{@code thinking-budget.<effort>}: the extended-thinking budget for each {@code reasoning_effort};</li>
 *   <li>{@code json-tool-models}: model-name prefixes that get {@code response_format: json_schema} through a
 *       forced tool, because they predate Anthropic's native structured outputs;</li>
 *   <li>{@code web-search-tool}: the version of Anthropic's web search server tool that
 *       {@code web_search_options} turns on (default {@value #DEFAULT_WEB_SEARCH_TOOL}).</li>
 * </ul>
 *
 * @param version         the {@code anthropic-version} header
 * @param maxTokens       default output cap per model
 * @param maxOutput       the model's own output limit: the catalog's, or the configured override
 * @param thinkingBudgets budget tokens per reasoning effort ({@code minimal} ... {@code xhigh})
 * @param jsonToolModels  models answering structured output through a forced tool
 * @param webSearchTool   the {@code type} of the web search server tool
 */
record AnthropicOptions(String version, ModelTable<Integer> maxTokens, OutputLimits maxOutput,
                        Map<String, Integer> thinkingBudgets,
                        ModelTable<Boolean> jsonToolModels, String webSearchTool) {

    static final String DEFAULT_WEB_SEARCH_TOOL = "web_search_20250305";

    static final String DEFAULT_VERSION = "2023-06-01";
    static final int DEFAULT_MAX_TOKENS = 16384;
    /** Anthropic's smallest thinking budget. */
    static final int MIN_THINKING_BUDGET = ClaudeThinking.MIN_BUDGET;

    /** Output caps of model families whose maximum is below the general default. */
    static final Map<String, Integer> MAX_TOKENS_BY_MODEL = Map.of(
            "claude-3", 4096,
            "claude-3-5", 8192,
            "claude-3-7", DEFAULT_MAX_TOKENS);

    static final Map<String, Integer> THINKING_BUDGETS = Map.of(
            "minimal", MIN_THINKING_BUDGET,
            "low", 2048,
            "medium", 8192,
            "high", 16384,
            "xhigh", 32768);

    /** Models released before Anthropic's structured outputs (output_config.format). */
    static final List<String> JSON_TOOL_MODELS = List.of("claude-3", "claude-opus-4-0", "claude-opus-4-1",
            "claude-opus-4-2025", "claude-sonnet-4-0", "claude-sonnet-4-2025");

    /** The options against the catalog built into Sluice, read afresh: for code that runs without the live catalog. */
    static AnthropicOptions from(ProviderSettings settings) {
        Catalog bundled = LiveCatalog.loadBundled();
        return from(settings, () -> bundled);
    }

    /**
     * @param catalog the catalog in force, read on each lookup; a model's limit is found under the provider's
     *                name, then under {@code anthropic}
     */
    static AnthropicOptions from(ProviderSettings settings, Supplier<Catalog> catalog) {
        ProviderOptions options = new ProviderOptions(settings);
        Map<String, Integer> caps = new LinkedHashMap<>(MAX_TOKENS_BY_MODEL);
        caps.putAll(options.keyedIntegers("max-tokens"));
        int fallback = options.integer("default-max-tokens", DEFAULT_MAX_TOKENS);
        caps.forEach((model, cap) -> {
            if (cap < 1) {
                throw new IllegalStateException(options.property("max-tokens." + model) + " must be at least 1");
            }
        });
        OutputLimits limits = OutputLimits.of(options, catalog,
                List.of(settings.name(), AnthropicProviderFactory.KIND).stream().distinct().toList());
        Map<String, Integer> budgets = new LinkedHashMap<>(THINKING_BUDGETS);
        options.keyedIntegers("thinking-budget").forEach((effort, budget) -> {
            if (!THINKING_BUDGETS.containsKey(effort)) {
                throw new IllegalStateException(options.property("thinking-budget." + effort)
                        + ": unknown effort; use one of " + THINKING_BUDGETS.keySet());
            }
            if (budget < MIN_THINKING_BUDGET) {
                throw new IllegalStateException(options.property("thinking-budget." + effort) + "=" + budget
                        + " is below Anthropic's minimum of " + MIN_THINKING_BUDGET);
            }
            budgets.put(effort, budget);
        });
        Map<String, Boolean> jsonTool = new LinkedHashMap<>();
        options.list("json-tool-models", JSON_TOOL_MODELS).forEach(prefix -> jsonTool.put(prefix, true));
        return new AnthropicOptions(options.string("anthropic-version", DEFAULT_VERSION),
                new ModelTable<>(caps, fallback), limits, Map.copyOf(budgets),
                new ModelTable<>(jsonTool, false), options.string("web-search-tool", DEFAULT_WEB_SEARCH_TOOL));
    }
}
