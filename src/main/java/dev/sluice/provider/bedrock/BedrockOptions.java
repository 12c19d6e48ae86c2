package dev.sluice.provider.bedrock;

import dev.sluice.catalog.Catalog;
import dev.sluice.catalog.LiveCatalog;
import dev.sluice.provider.ClaudeThinking;
import dev.sluice.provider.OutputLimits;
import dev.sluice.provider.ProviderOptions;
import dev.sluice.provider.ProviderSettings;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Bedrock adapter's settings, read once from {@code sluice.providers.<name>.options.*}:
 *
 * <ul>
 *   <li>{@code region}: the AWS region that signs requests and names the endpoints (the preset reads
 *       {@code AWS_REGION}, then {@code AWS_DEFAULT_REGION});</li>
 *   <li>{@code credentials}: {@code auto} (default), {@code static} or {@code default-chain}. Auto uses, in
 *       order: the provider's {@code api-key} as a Bedrock API key (bearer token); {@code access-key-id} /
 *       {@code secret-access-key} / {@code session-token} options; the {@code AWS_ACCESS_KEY_ID} /
 *       {@code AWS_SECRET_ACCESS_KEY} / {@code AWS_SESSION_TOKEN} environment variables; and AWS's default
 *       credential chain when the environment points at one (a container-credentials endpoint as on ECS and
 *       EKS Pod Identity, a web-identity token file, or {@code AWS_PROFILE});</li>
 *   <li>{@code control-base-url}: the control-plane endpoint for the model list (default
 *       {@code https://bedrock.<region>.amazonaws.com});</li>
 *   <li>{@code thinking-budget.<effort>}: the budget each {@code reasoning_effort} gets on Claude models, fitted
 *       under the output cap as {@link ClaudeThinking} says;</li>
 *   <li>{@code max-output-tokens.<claude-model-prefix>}: the most a Claude model can write (the cap Bedrock applies
 *       when the client sets none), keyed by Anthropic's model name ({@code claude-opus-4-1}); overrides the
 *       {@code max_output} of the model's {@code anthropic/...} catalog entry, as {@link OutputLimits} says;</li>
 *   <li>{@code image-max-bytes} (default 3.75 MB, Bedrock's image limit) and {@code image-timeout} (15 s): the cap
 *       and deadline of an http(s) image Sluice fetches to send as bytes;</li>
 *   <li>{@code anthropic-betas}: when set, the only Anthropic betas (a comma-separated list) a passed-through
 *       Messages request carries to Bedrock, which refuses a whole request naming a beta it does not support
 *       ("invalid beta flag"), while Anthropic's own clients send first-party betas; unset, every beta the client
 *       named is carried.</li>
 * </ul>
 */
record BedrockOptions(String region, String credentials, Optional<String> accessKeyId,
                      Optional<String> secretAccessKey, Optional<String> sessionToken, String controlBaseUrl,
                      Map<String, Integer> thinkingBudgets, OutputLimits claudeMaxOutput, long imageMaxBytes,
                      Duration imageTimeout, Optional<Set<String>> anthropicBetas) {

    static final Map<String, Integer> THINKING_BUDGETS = Map.of(
            "minimal", 1024,
            "low", 2048,
            "medium", 8192,
            "high", 16384,
            "xhigh", 32768);
    /** The catalog key whose entries give Claude's output limits: Anthropic's, by Anthropic's model names. */
    static final String CLAUDE_CATALOG = "anthropic";
    static final long DEFAULT_IMAGE_MAX_BYTES = 3_750_000L;
    private static final Pattern RUNTIME_HOST = Pattern.compile("bedrock-runtime(?:-fips)?\\.([a-z0-9-]+)\\.amazonaws\\.com");

    /** The options against the catalog built into Sluice, read afresh: for code that runs without the live catalog. */
    static BedrockOptions from(ProviderSettings settings) {
        Catalog bundled = LiveCatalog.loadBundled();
        return from(settings, () -> bundled);
    }

    /**
     * @param catalog the catalog in force, read on each lookup; a Claude model's limit is that of its entry under
     *                {@code anthropic}, by Anthropic's model name
     */
    static BedrockOptions from(ProviderSettings settings, Supplier<Catalog> catalog) {
        ProviderOptions options = new ProviderOptions(settings);
        String region = region(options, settings.baseUrl()).orElseThrow(() -> new IllegalStateException(
                options.property("region") + " is required (set AWS_REGION) to sign requests to " + settings.baseUrl()));
        String mode = options.choice("credentials", "auto", "auto", "static", "default-chain");
        Map<String, Integer> budgets = options.perEffort("thinking-budget", THINKING_BUDGETS,
                options.keyedIntegers("thinking-budget"));
        OutputLimits maxOutput = OutputLimits.of(options, catalog, List.of(CLAUDE_CATALOG));
        long maxBytes = options.string("image-max-bytes").map(v -> {
            try {
                return Long.parseLong(v);
            } catch (NumberFormatException e) {
                throw new IllegalStateException(options.property("image-max-bytes") + "=" + v + " is not a byte count");
            }
        }).orElse(DEFAULT_IMAGE_MAX_BYTES);
        Duration timeout = Duration.ofSeconds(options.integer("image-timeout-seconds", 15));
        return new BedrockOptions(region, mode, options.string("access-key-id"), options.string("secret-access-key"),
                options.string("session-token"),
                options.string("control-base-url", "https://bedrock." + region + ".amazonaws.com"),
                Map.copyOf(budgets), maxOutput, maxBytes, timeout,
                Optional.ofNullable(options.list("anthropic-betas", null)).map(Set::copyOf));
    }

    /** The region: configured, else AWS_REGION / AWS_DEFAULT_REGION, else read from a regional endpoint URL. */
    static Optional<String> region(ProviderOptions options, String baseUrl) {
        Optional<String> configured = options.string("region")
                .or(() -> awsVariable("AWS_REGION"))
                .or(() -> awsVariable("AWS_DEFAULT_REGION"))
                .map(r -> r.toLowerCase(Locale.ROOT));
        if (configured.isPresent() || baseUrl == null) {
            return configured;
        }
        Matcher m = RUNTIME_HOST.matcher(baseUrl);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    /** A standard AWS variable, read through the configuration (environment, system properties), if not blank. */
    private static Optional<String> awsVariable(String name) {
        return org.eclipse.microprofile.config.ConfigProvider.getConfig().getOptionalValue(name, String.class)
                .map(String::strip).filter(v -> !v.isEmpty());
    }

    /** The runtime endpoint of a region. */
    static String runtimeUrl(String region) {
        return "https://bedrock-runtime." + region + ".amazonaws.com";
    }
}
