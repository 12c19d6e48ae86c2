package dev.sluice.routing.config;

import dev.sluice.money.Price;
import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.routing.config.Strategy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads a LiteLLM proxy {@code config.yaml}, so that a LiteLLM user moves to Sluice by pointing it at the file
 * they already have. {@code model_list} entries with the same {@code model_name} form one model group;
 * {@code litellm_params} give each deployment its model ({@code provider/model}, mapped to a Sluice provider),
 * {@code api_base}, {@code api_key}, {@code rpm}, {@code tpm}, {@code weight}, {@code order} (priority),
 * {@code timeout}; {@code os.environ/NAME} reads the environment (or the file's {@code environment_variables}).
 * {@code router_settings} and {@code litellm_settings} give retries, timeouts, fallbacks, context-window fallbacks,
 * cooldowns and the routing strategy; where both set a value, {@code router_settings} wins, as in LiteLLM.
 *
 * <p>Anything Sluice does not apply is reported in the spec's warnings, once per setting, never silently dropped.
 */
public final class LiteLlmFile {

    /** What the importer needs to know about Sluice's providers. */
    public interface Providers {
        /** Whether {@code sluice.providers.<name>} exists (enabled or not). */
        boolean known(String name);

        /** The provider Sluice's model rules give a bare model name, e.g. gpt-4o → openai. */
        Optional<String> forBareModel(String model);
    }

    /** LiteLLM's provider prefixes and the Sluice provider serving each. */
    static final Map<String, String> PREFIXES = Map.ofEntries(
            Map.entry("openai", "openai"), Map.entry("azure", "azure"), Map.entry("anthropic", "anthropic"),
            Map.entry("gemini", "gemini"), Map.entry("bedrock", "bedrock"), Map.entry("groq", "groq"),
            Map.entry("deepseek", "deepseek"), Map.entry("mistral", "mistral"), Map.entry("xai", "xai"),
            Map.entry("openrouter", "openrouter"), Map.entry("together_ai", "together"),
            Map.entry("fireworks_ai", "fireworks"), Map.entry("ollama", "ollama"), Map.entry("ollama_chat", "ollama"),
            Map.entry("hosted_vllm", "vllm"), Map.entry("vllm", "vllm"));

    private static final Map<String, Strategy> STRATEGIES = Map.of(
            "simple-shuffle", Strategy.WEIGHTED_RANDOM, "least-busy", Strategy.LEAST_IN_FLIGHT,
            "latency-based-routing", Strategy.LOWEST_LATENCY, "cost-based-routing", Strategy.LOWEST_COST,
            "usage-based-routing", Strategy.WEIGHTED_RANDOM, "usage-based-routing-v2", Strategy.WEIGHTED_RANDOM);

    private static final Set<String> STATE_SHARING = Set.of("redis_host", "redis_port", "redis_password", "redis_url",
            "cache_responses", "cache_kwargs", "client_ttl", "cache");

    private final String source;
    private final Providers providers;
    private final Function<String, Optional<String>> env;
    private final List<String> problems = new ArrayList<>();
    /** warning text → where it applies (deployment ids), kept in first-seen order. */
    private final Map<String, Set<String>> warnings = new LinkedHashMap<>();

    private LiteLlmFile(String source, Providers providers, Function<String, Optional<String>> env) {
        this.source = source;
        this.providers = providers;
        this.env = env;
    }

    /** Whether a parsed YAML document is a LiteLLM config. */
    public static boolean recognises(JsonNode root) {
        return root != null && root.isObject() && (root.has("model_list") || root.has("litellm_settings")
                || root.has("router_settings"));
    }

    /**
     * @param env the process environment, for {@code os.environ/NAME}
     */
    public static RoutingSpec parse(JsonNode root, String source, Providers providers,
                                    Function<String, Optional<String>> env) {
        return new LiteLlmFile(source, providers, env).read(root);
    }

    private RoutingSpec read(JsonNode root) {
        Fields top = Fields.of(root, "", problems, Fields.Expander.NONE);
        Map<String, String> fileEnv = top.stringMap("environment_variables");
        Fields.Expander expand = (raw, missing) -> osEnviron(raw, fileEnv, missing);

        Fields router = Fields.of(top.raw("router_settings"), "router_settings", problems, expand);
        Fields module = Fields.of(top.raw("litellm_settings"), "litellm_settings", problems, expand);

        // settings: router_settings over litellm_settings
        Strategy strategy = null;
        String rs = router.text("routing_strategy");
        if (rs != null) {
            strategy = STRATEGIES.get(rs.strip().toLowerCase(Locale.ROOT));
            if (strategy == null) {
                warn("router_settings.routing_strategy: '" + rs + "' is not a strategy Sluice has; weighted-random "
                        + "(LiteLLM's simple-shuffle) is used", null);
            } else if (rs.startsWith("usage-based")) {
                warn("router_settings.routing_strategy: '" + rs + "' is served as weighted-random with every "
                        + "deployment's rpm/tpm caps enforced", null);
            }
        }
        Integer retries = first(router.integer("num_retries", 0), module.integer("num_retries", 0));
        Duration total = first(router.duration("timeout"),
                first(module.duration("request_timeout"), module.duration("timeout")));
        Duration streamTimeout = first(router.duration("stream_timeout"), module.duration("stream_timeout"));
        Integer allowedFails = first(router.integer("allowed_fails", 0), module.integer("allowed_fails", 0));
        Duration cooldown = first(router.duration("cooldown_time"), module.duration("cooldown_time"));
        Boolean noCooldowns = first(router.bool("disable_cooldowns"), module.bool("disable_cooldowns"));
        Duration retryAfter = first(router.duration("retry_after"), module.duration("retry_after"));
        Integer maxFallbacks = first(router.integer("max_fallbacks", 0), module.integer("max_fallbacks", 0));
        SettingsOverrides settings = new SettingsOverrides(strategy, retries, null, maxFallbacks, null, retryAfter,
                null, null, null, noCooldowns == null ? null : !noCooldowns,
                allowedFails == null ? null : allowedFails + 1, allowedFails == null ? null : 1.0, cooldown, null,
                new TimeoutOverrides(null, streamTimeout, total, null));

        Map<String, List<String>> fallbacks = fallbackMap(module, "fallbacks");
        fallbacks.putAll(fallbackMap(router, "fallbacks"));
        Map<String, List<String>> cwFallbacks = fallbackMap(module, "context_window_fallbacks");
        cwFallbacks.putAll(fallbackMap(router, "context_window_fallbacks"));
        List<String> defaultFallbacks = router.has("default_fallbacks") ? router.strings("default_fallbacks")
                : module.strings("default_fallbacks");

        Map<String, String> aliases = new LinkedHashMap<>();
        List<String> hidden = new ArrayList<>();
        Fields aliasFields = router.child("model_group_alias");
        for (String alias : aliasFields.keys()) {
            JsonNode v = aliasFields.raw(alias);
            if (v != null && v.isTextual()) {
                aliases.put(alias, v.asText());
            } else if (v != null && v.isObject() && v.path("model").isTextual()) {
                aliases.put(alias, v.get("model").asText());
                if (v.path("hidden").asBoolean(false)) {
                    hidden.add(alias);
                }
            } else {
                problems.add("router_settings.model_group_alias." + alias + ": expected a model group name");
            }
        }

        for (String key : router.unread()) {
            warn("router_settings." + key + ": " + whyNot(key), null);
        }
        for (String key : module.unread()) {
            warn("litellm_settings." + key + ": " + whyNot(key), null);
        }

        // the model list
        Map<String, List<Fields>> entries = new LinkedHashMap<>();
        for (Fields entry : top.list("model_list")) {
            String name = entry.requiredText("model_name");
            if (name == null || name.isBlank()) {
                continue;
            }
            if (name.contains("*")) {
                warn("model_list: the wildcard model '" + name + "' is not supported (plain provider/model names "
                        + "already route to any model of a configured provider); skipped", null);
                entry.raw("litellm_params");
                entry.raw("model_info");
                continue;
            }
            entries.computeIfAbsent(name, k -> new ArrayList<>()).add(entry);
        }
        Map<String, GroupSpec> groups = new LinkedHashMap<>();
        entries.forEach((name, list) -> groups.put(name, group(name, list, expand,
                fallbacks.getOrDefault(name, List.of()), cwFallbacks.getOrDefault(name, List.of()))));
        for (String from : fallbacks.keySet()) {
            if (!groups.containsKey(from) && !aliases.containsKey(from)) {
                warn("fallbacks: '" + from + "' is not a model_name of model_list; its fallbacks are not used", null);
            }
        }

        for (String key : top.unread()) {
            if (key.equals("general_settings")) {
                Fields general = top.child(key);
                for (String g : general.keys()) {
                    warn("general_settings." + g + ": " + (g.equals("master_key")
                            ? "Sluice's master key is SLUICE_MASTER_KEY (or generated at first start); ignored"
                            : "a LiteLLM proxy server setting that Sluice does not have; ignored"), null);
                }
            } else {
                warn(key + ": not supported by Sluice; ignored", null);
            }
        }
        if (!problems.isEmpty()) {
            throw new RoutingFileException(problems.stream().map(p -> source + ": " + p).toList());
        }
        List<String> lines = new ArrayList<>();
        warnings.forEach((text, where) -> lines.add(source + ": " + text
                + (where.isEmpty() ? "" : " (" + String.join(", ", where) + ")")));
        return new RoutingSpec(settings, defaultFallbacks, groups, aliases, hidden, lines, List.of(source));
    }

    private GroupSpec group(String name, List<Fields> list, Fields.Expander expand, List<String> fallbacks,
                            List<String> cwFallbacks) {
        List<DeploymentSpec> out = new ArrayList<>();
        List<Shuffle> shuffles = new ArrayList<>();
        boolean anyOrder = false;
        int maxOrder = 0;
        List<Fields> params = new ArrayList<>();
        for (Fields entry : list) {
            Fields p = Fields.of(entry.raw("litellm_params"), entry.path("litellm_params"), problems, expand);
            params.add(p);
            if (p.has("order")) {
                anyOrder = true;
            }
        }
        for (int i = 0; i < list.size(); i++) {
            Fields entry = list.get(i);
            Fields p = params.get(i);
            if (!entry.has("litellm_params")) {
                entry.problem("litellm_params", "is required");
            }
            Fields info = entry.child("model_info");
            String id = Optional.ofNullable(info.text("id")).filter(s -> !s.isBlank())
                    .orElse(list.size() == 1 ? name : name + "-" + (i + 1));
            String model = p.requiredText("model");
            Optional<String> unusable = Optional.empty();
            String provider = "";
            String upstreamModel = model == null ? "" : model;
            String custom = p.text("custom_llm_provider");
            if (model != null && !model.isBlank()) {
                int slash = model.indexOf('/');
                String prefix = custom != null ? custom : slash > 0 ? model.substring(0, slash) : null;
                if (custom == null && slash > 0) {
                    upstreamModel = model.substring(slash + 1);
                }
                if (prefix != null) {
                    String mapped = PREFIXES.get(prefix.toLowerCase(Locale.ROOT));
                    if (mapped != null) {
                        provider = mapped;
                    } else if (providers.known(prefix)) {
                        provider = prefix;
                    } else {
                        unusable = Optional.of("LiteLLM provider '" + prefix + "' has no Sluice equivalent (Sluice "
                                + "maps: " + String.join(", ", new java.util.TreeSet<>(PREFIXES.keySet())) + ")");
                    }
                } else {
                    Optional<String> byRule = providers.forBareModel(model);
                    if (byRule.isPresent()) {
                        provider = byRule.get();
                    } else {
                        unusable = Optional.of("the model '" + model + "' names no provider; write it as "
                                + "provider/model (openai/" + model + ")");
                    }
                }
                if (upstreamModel.isBlank()) {
                    p.problem("model", "names provider '" + prefix + "' but no model");
                }
            }
            Optional<String> baseUrl = Optional.ofNullable(p.text("api_base")).filter(s -> !s.isBlank());
            Optional<String> apiKey = Optional.ofNullable(p.text("api_key")).filter(s -> !s.isBlank());
            Map<String, String> options = new LinkedHashMap<>();
            String apiVersion = p.text("api_version");
            if (apiVersion != null) {
                options.put("api-version", apiVersion);
            }
            String region = p.text("aws_region_name");
            if (region != null) {
                options.put("region", region);
            }
            Map<String, String> headers = new LinkedHashMap<>(p.stringMap("extra_headers"));
            String org = p.text("organization");
            if (org != null) {
                headers.put("OpenAI-Organization", org);
            }
            Double weight = p.number("weight", 0, 1_000_000);
            Integer rpm = p.integer("rpm", 0);
            Integer tpm = p.integer("tpm", 0);
            Integer order = p.integer("order", 0);
            if (order != null) {
                maxOrder = Math.max(maxOrder, order);
            }
            shuffles.add(new Shuffle(weight, rpm, tpm));
            Integer parallel = p.integer("max_parallel_requests", 0);
            Duration timeout = p.duration("timeout");
            Duration streamTimeout = p.duration("stream_timeout");
            Double inCost = first(p.number("input_cost_per_token", 0, 1), info.number("input_cost_per_token", 0, 1));
            Double outCost = first(p.number("output_cost_per_token", 0, 1), info.number("output_cost_per_token", 0, 1));
            Optional<Price> price = inCost == null && outCost == null ? Optional.empty()
                    : Optional.of(Price.perMillionUsd((inCost == null ? 0 : inCost) * 1e6,
                            (outCost == null ? 0 : outCost) * 1e6, ModelsFile.ROUTING_FILE));
            info.raw("mode");
            for (String key : p.unread()) {
                warn("litellm_params." + key + ": " + paramWhyNot(key), id);
            }
            for (String key : info.unread()) {
                warn("model_info." + key + ": informational in LiteLLM; Sluice does not use it", id);
            }
            for (String key : entry.unread()) {
                warn("model_list entry key '" + key + "': not supported by Sluice; ignored", id);
            }
            if (unusable.isEmpty() && !p.missing().isEmpty()) {
                unusable = Optional.of("it refers to " + String.join(", ",
                        p.missing().stream().map(n -> "os.environ/" + n).toList()) + ", which "
                        + (p.missing().size() == 1 ? "is" : "are") + " not set");
            }
            out.add(new DeploymentSpec(id, name, provider, upstreamModel, baseUrl, apiKey, headers, options, 1,
                    order == null ? -1 : order, rpm == null ? 0 : rpm, tpm == null ? 0 : tpm,
                    parallel == null ? 0 : parallel, new TimeoutOverrides(null, streamTimeout, timeout, null), price,
                    unusable, source + ": " + entry.path()));
        }
        // LiteLLM's order: lower first; deployments without one come after every ordered deployment
        int unordered = anyOrder ? maxOrder + 1 : 0;
        List<Integer> tiers = new ArrayList<>();
        for (DeploymentSpec d : out) {
            tiers.add(d.priority() >= 0 ? d.priority() : unordered);
        }
        List<DeploymentSpec> ranked = new ArrayList<>();
        for (int i = 0; i < out.size(); i++) {
            DeploymentSpec d = out.get(i);
            double w = shuffles.get(i).weight(shuffles.get(tiers.indexOf(tiers.get(i))));
            ranked.add(new DeploymentSpec(d.id(), d.group(), d.provider(), d.model(), d.baseUrl(), d.apiKey(),
                    d.headers(), d.options(), w, tiers.get(i), d.rpm(), d.tpm(), d.maxInFlight(), d.timeouts(),
                    d.price(), d.unusable(), d.source()));
        }
        return new GroupSpec(name, SettingsOverrides.NONE, fallbacks, cwFallbacks, ranked);
    }

    /**
     * What LiteLLM's simple-shuffle weighs a deployment by. It looks at the first deployment it may pick from:
     * if that one sets {@code weight}, every deployment is weighed by its {@code weight} (0 when it sets none);
     * otherwise by {@code rpm} on the same terms, then by {@code tpm}; when the first sets none of them, picks
     * are even. Sluice decides once per priority tier, from the tier's first deployment in the file.
     */
    private record Shuffle(Double weight, Integer rpm, Integer tpm) {

        double weight(Shuffle first) {
            if (first.weight() != null) {
                return weight == null ? 0 : weight;
            }
            if (first.rpm() != null) {
                return rpm == null ? 0 : rpm;
            }
            if (first.tpm() != null) {
                return tpm == null ? 0 : tpm;
            }
            return 1;
        }
    }

    /** LiteLLM's fallback lists: {@code [{"gpt-4": ["gpt-3.5"]}, ...]}. */
    private Map<String, List<String>> fallbackMap(Fields settings, String key) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        JsonNode v = settings.raw(key);
        if (v == null) {
            return out;
        }
        String path = settings.path(key);
        if (!v.isArray()) {
            problems.add(path + ": expected a list such as [{\"gpt-4\": [\"gpt-3.5-turbo\"]}]");
            return out;
        }
        for (int i = 0; i < v.size(); i++) {
            JsonNode item = v.get(i);
            if (!item.isObject()) {
                problems.add(path + "[" + i + "]: expected {\"model_name\": [fallback model names]}");
                continue;
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = item.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                List<String> targets = new ArrayList<>();
                JsonNode t = e.getValue();
                if (t.isTextual()) {
                    targets.add(t.asText());
                } else if (t.isArray()) {
                    t.forEach(n -> {
                        if (n.isTextual()) {
                            targets.add(n.asText());
                        } else {
                            problems.add(path + "[" + e.getKey() + "]: expected model names");
                        }
                    });
                } else {
                    problems.add(path + "[" + e.getKey() + "]: expected a list of model names");
                }
                out.put(e.getKey(), targets);
            }
        }
        return out;
    }

    /** LiteLLM's {@code os.environ/NAME}: the environment, then the file's environment_variables. */
    private String osEnviron(String raw, Map<String, String> fileEnv, List<String> missing) {
        if (raw == null || !raw.startsWith("os.environ/")) {
            return raw;
        }
        String name = raw.substring("os.environ/".length()).strip();
        Optional<String> value = env.apply(name).or(() -> Optional.ofNullable(fileEnv.get(name)));
        if (value.isEmpty()) {
            missing.add(name);
            return "";
        }
        return value.get();
    }

    private void warn(String text, String where) {
        Set<String> at = warnings.computeIfAbsent(text, k -> new LinkedHashSet<>());
        if (where != null) {
            at.add(where);
        }
    }

    private static String whyNot(String key) {
        if (STATE_SHARING.contains(key)) {
            return "Sluice keeps routing state per instance and does not share it through Redis; ignored";
        }
        return switch (key) {
            case "content_policy_fallbacks" -> "content-policy errors are not told apart from other 400s; "
                    + "these fallbacks are not used";
            case "enable_pre_call_checks" -> "rpm/tpm caps are always enforced; context-window checks before the "
                    + "call are not made (context_window_fallbacks act on the provider's error)";
            case "retry_policy", "allowed_fails_policy" -> "per-error-type policies are not supported; num_retries "
                    + "and allowed_fails apply to every retryable error";
            case "routing_strategy_args" -> "strategy tuning is not supported; ignored";
            case "drop_params" -> "Sluice forwards every parameter as sent; ignored";
            default -> "not supported by Sluice; ignored";
        };
    }

    private static String paramWhyNot(String key) {
        if (key.startsWith("aws_") || key.startsWith("vertex_")) {
            return "credentials come from the provider's settings (standard AWS/Google variables); ignored";
        }
        return switch (key) {
            case "max_retries" -> "retries are set by num_retries for the whole group; ignored";
            case "tags", "region_name" -> "tag and region filtering are not supported; ignored";
            default -> "default request parameters and other litellm_params are not supported; ignored";
        };
    }

    private static <T> T first(T a, T b) {
        return a != null ? a : b;
    }
}
