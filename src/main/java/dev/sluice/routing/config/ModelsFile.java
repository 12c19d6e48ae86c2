package dev.sluice.routing.config;

import dev.sluice.money.Price;
import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.routing.config.Strategy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Reads Sluice's own routing file ({@code models.yaml}): a {@code settings:} block and {@code groups:}, each a
 * public model name with its deployments. The format is strict: an unknown key, a wrong type or a duplicate is an
 * error naming its place, so a typo never silently changes routing. Values may refer to the environment or to
 * Sluice's configuration as {@code ${NAME}} or {@code ${NAME:default}}.
 */
public final class ModelsFile {

    /** Where a price given in a routing file says it comes from. */
    public static final String ROUTING_FILE = "routing file";

    static final String SETTINGS_KEYS = "strategy, retries, max-attempts, max-fallbacks, request-timeout, backoff, "
            + "max-retry-after, rate-limit-cooldown, breaker, timeouts";

    private ModelsFile() {
    }

    /** Whether a parsed YAML document is in this format. */
    public static boolean recognises(JsonNode root) {
        return root != null && root.isObject() && (root.has("groups") || (root.has("settings") && !root.has("model_list")));
    }

    public static RoutingSpec parse(JsonNode root, String source, Function<String, Optional<String>> lookup) {
        List<String> problems = new ArrayList<>();
        Fields.Expander expand = (raw, missing) -> Placeholders.expand(raw, lookup, missing);
        Fields top = Fields.of(root, "", problems, expand);

        Fields settingsFields = top.child("settings");
        SettingsOverrides settings = settings(settingsFields);
        List<String> defaultFallbacks = settingsFields.strings("default-fallbacks");
        settingsFields.rejectUnknown(SETTINGS_KEYS + ", default-fallbacks");

        Map<String, GroupSpec> groups = new LinkedHashMap<>();
        Map<String, String> aliases = new LinkedHashMap<>();
        Fields groupsFields = top.child("groups");
        for (String name : groupsFields.keys()) {
            Fields g = groupsFields.child(name);
            if (name.isBlank()) {
                problems.add("groups: a group needs a name");
                continue;
            }
            SettingsOverrides gs = settings(g);
            List<String> fallbacks = g.strings("fallbacks");
            List<String> cw = g.strings("context-window-fallbacks");
            for (String alias : g.strings("aliases")) {
                aliases.put(alias, name);
            }
            List<DeploymentSpec> deployments = new ArrayList<>();
            List<Fields> list = g.list("deployments");
            if (list.isEmpty() && !g.has("deployments")) {
                g.problem("deployments", "is required: a group needs at least one deployment");
            }
            for (int i = 0; i < list.size(); i++) {
                deployments.add(deployment(list.get(i), name, i, source));
            }
            g.rejectUnknown(SETTINGS_KEYS + ", fallbacks, context-window-fallbacks, aliases, deployments");
            groups.put(name, new GroupSpec(name, gs, fallbacks, cw, deployments));
        }
        top.rejectUnknown("settings, groups");
        if (!problems.isEmpty()) {
            throw new RoutingFileException(problems.stream().map(p -> source + ": " + p).toList());
        }
        return new RoutingSpec(settings, defaultFallbacks, groups, aliases, List.of(), List.of(), List.of(source));
    }

    /** The settings that may appear in the file's {@code settings:} block and in each group. */
    static SettingsOverrides settings(Fields f) {
        Strategy strategy = null;
        String s = f.text("strategy");
        if (s != null) {
            strategy = Strategy.parse(s).orElse(null);
            if (strategy == null) {
                f.problem("strategy", "unknown strategy '" + s + "' (known: " + Strategy.names() + ")");
            }
        }
        Fields backoff = f.child("backoff");
        Duration initial = backoff.duration("initial");
        Duration max = backoff.duration("max");
        backoff.rejectUnknown("initial, max");
        Fields breaker = f.child("breaker");
        Boolean enabled = breaker.bool("enabled");
        Integer window = breaker.integer("window", 1);
        Double ratio = breaker.number("failure-ratio", 0.01, 1.0);
        Duration openFor = breaker.duration("open-for");
        Integer probes = breaker.integer("probes", 1);
        breaker.rejectUnknown("enabled, window, failure-ratio, open-for, probes");
        return new SettingsOverrides(strategy, f.integer("retries", 0), f.integer("max-attempts", 1),
                f.integer("max-fallbacks", 0), f.duration("request-timeout"), initial, max,
                f.duration("max-retry-after"), f.duration("rate-limit-cooldown"), enabled, window, ratio, openFor,
                probes, timeouts(f.child("timeouts")));
    }

    static TimeoutOverrides timeouts(Fields t) {
        TimeoutOverrides out = new TimeoutOverrides(t.duration("connect"), t.duration("first-byte"),
                t.duration("total"), t.duration("stream-idle"));
        t.rejectUnknown("connect, first-byte, total, stream-idle");
        return out;
    }

    private static DeploymentSpec deployment(Fields d, String group, int index, String source) {
        String id = d.text("id");
        if (id == null || id.isBlank()) {
            id = group + "-" + (index + 1);
        }
        String provider = d.requiredText("provider");
        String model = d.requiredText("model");
        Optional<String> baseUrl = Optional.ofNullable(d.text("base-url")).filter(v -> !v.isBlank());
        Optional<String> apiKey = Optional.ofNullable(d.text("api-key")).filter(v -> !v.isBlank());
        Map<String, String> headers = d.stringMap("headers");
        Map<String, String> options = d.stringMap("options");
        Double weight = d.number("weight", 0, 1_000_000);
        Integer priority = d.integer("priority", 0);
        Integer rpm = d.integer("rpm", 0);
        Integer tpm = d.integer("tpm", 0);
        Integer inFlight = d.integer("max-in-flight", 0);
        TimeoutOverrides timeouts = timeouts(d.child("timeouts"));
        Fields priceFields = d.child("price");
        Optional<Price> price = Optional.empty();
        if (d.has("price")) {
            Double in = priceFields.number("input", 0, 1_000_000);
            Double out = priceFields.number("output", 0, 1_000_000);
            price = Optional.of(Price.perMillionUsd(in == null ? 0 : in, out == null ? 0 : out, ROUTING_FILE));
        }
        priceFields.rejectUnknown("input, output (USD per million tokens)");
        d.rejectUnknown("id, provider, model, base-url, api-key, headers, options, weight, priority, rpm, tpm, "
                + "max-in-flight, timeouts, price");
        Optional<String> unusable = d.missing().isEmpty() ? Optional.empty()
                : Optional.of("it refers to " + String.join(", ", d.missing().stream().map(n -> "${" + n + "}").toList())
                + ", which " + (d.missing().size() == 1 ? "has" : "have") + " no value");
        return new DeploymentSpec(id, group, provider == null ? "" : provider, model == null ? "" : model, baseUrl,
                apiKey, headers, options, weight == null ? 1 : weight, priority == null ? 0 : priority,
                rpm == null ? 0 : rpm, tpm == null ? 0 : tpm, inFlight == null ? 0 : inFlight, timeouts, price,
                unusable, source + ": " + d.path());
    }
}
