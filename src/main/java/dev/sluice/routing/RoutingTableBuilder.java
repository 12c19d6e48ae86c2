package dev.sluice.routing;

import dev.sluice.openai.ApiException;
import dev.sluice.secrets.Secrets;
import dev.sluice.config.SluiceConfig;
import dev.sluice.provider.Provider;
import dev.sluice.provider.ProviderRegistry;
import dev.sluice.provider.ProviderDraft;
import dev.sluice.routing.config.DeploymentSpec;
import dev.sluice.routing.config.GroupSpec;
import dev.sluice.routing.config.RoutingSpec;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Turns a {@link RoutingSpec} into a live {@link RoutingTable}: resolves each deployment's provider (inheriting
 * the settings of {@code sluice.providers.<name>} and overriding key, base URL, headers, options and timeouts),
 * builds its provider instance through the protocol's factory, and carries over the run-time state of every
 * deployment whose definition did not change. Deployments that cannot be used are kept, marked with the reason,
 * and reported.
 */
record RoutingTableBuilder(RoutingConfig routing, SluiceConfig sluice, ProviderRegistry registry,
                           ModelResolver resolver, RoutingMetrics metrics) {

    RoutingTable build(RoutingSpec spec, String fingerprint, long version, RoutingTable previous) {
        RouteSettings base = RouteSettings.defaults(routing, sluice);
        RouteSettings fileSettings = base.apply(spec.settings());
        Map<String, DeploymentState> oldStates = new HashMap<>();
        if (previous != null) {
            previous.groups().values().forEach(g -> g.deployments().forEach(d -> oldStates.put(key(d), d.state())));
            previous.providers().values().forEach(d -> oldStates.put(key(d), d.state()));
        }
        List<String> warnings = new ArrayList<>(spec.warnings());
        List<Deployment> all = new ArrayList<>();

        Map<String, Group> groups = new LinkedHashMap<>();
        for (GroupSpec gs : spec.groups().values()) {
            RouteSettings settings = fileSettings.apply(gs.settings());
            List<Deployment> deployments = new ArrayList<>();
            for (DeploymentSpec ds : gs.deployments()) {
                ds.apiKey().ifPresent(Secrets::register);
                SluiceConfig.ProviderConfig pc = sluice.providers().get(ds.provider());
                Timeouts timeouts = base.timeouts();
                if (pc != null && pc.timeout().isPresent()) {
                    timeouts = timeouts.withTotal(pc.timeout().get());
                }
                timeouts = timeouts.apply(gs.settings().over(spec.settings()).timeouts()).apply(ds.timeouts());
                Built built = provider(ds, pc, timeouts);
                String fp = String.join("|", gs.name(), ds.provider(), ds.model(), built.identity(),
                        settings.breakerFingerprint());
                DeploymentState state = oldStates.get(gs.name() + "/" + ds.id());
                if (state == null || !state.fingerprint.equals(fp)) {
                    state = new DeploymentState(gs.name(), ds.id(), fp, settings, true);
                }
                oldStates.remove(gs.name() + "/" + ds.id(), state);
                Deployment d = new Deployment(ds.id(), gs.name(), built.provider(), ds.model(), ds.weight(),
                        ds.priority(), ds.rpm(), ds.tpm(), ds.maxInFlight(), timeouts, ds.price().orElse(null),
                        built.unusable(), state);
                if (built.unusable() != null) {
                    warnings.add(ds.source() + ": deployment '" + ds.id() + "' of group '" + gs.name()
                            + "' is not used: " + built.unusable());
                }
                deployments.add(d);
                all.add(d);
            }
            if (deployments.stream().allMatch(d -> d.unusable() != null)) {
                warnings.add("model group '" + gs.name() + "' has no usable deployment: its requests go to its "
                        + "fallbacks, or fail with 503");
            }
            groups.put(gs.name(), new Group(gs.name(), settings, List.copyOf(deployments), gs.fallbacks(),
                    gs.contextWindowFallbacks()));
        }

        RouteSettings direct = fileSettings.withRetries(routing.directRetries());
        Map<String, Deployment> providers = new LinkedHashMap<>();
        for (Provider p : registry.all()) {
            SluiceConfig.ProviderConfig pc = sluice.providers().get(p.name());
            Timeouts timeouts = direct.timeouts();
            if (pc != null && pc.timeout().isPresent()) {
                timeouts = timeouts.withTotal(pc.timeout().get());
            }
            String k = Deployment.DIRECT + "/" + p.name();
            DeploymentState state = oldStates.remove(k);
            if (state == null) {
                state = new DeploymentState(Deployment.DIRECT, p.name(), "direct", direct, false);
            }
            Deployment d = new Deployment(p.name(), Deployment.DIRECT, p, null, 1, 0, 0, 0, 0, timeouts, null, null,
                    state);
            providers.put(p.name(), d);
            all.add(d);
        }

        for (Group g : groups.values()) {
            checkFallbacks(g.name(), "fallbacks", g.fallbacks(), groups, spec.aliases(), warnings);
            checkFallbacks(g.name(), "context-window fallbacks", g.contextWindowFallbacks(), groups, spec.aliases(),
                    warnings);
        }
        checkFallbacks(null, "default fallbacks", spec.defaultFallbacks(), groups, spec.aliases(), warnings);

        // meters follow the deployments: dropped ones are unregistered, kept ones keep their counters
        oldStates.values().forEach(metrics::unregister);
        all.forEach(metrics::register);
        return new RoutingTable(version, Instant.now(), spec.sources(), fingerprint, List.copyOf(warnings), direct,
                Collections.unmodifiableMap(groups), Map.copyOf(spec.aliases()),
                Collections.unmodifiableSet(new LinkedHashSet<>(spec.hiddenAliases())),
                Collections.unmodifiableMap(providers), spec.defaultFallbacks());
    }

    private static String key(Deployment d) {
        return d.group() + "/" + d.id();
    }

    /** A deployment's provider instance, or why there is none; identity tells whether it changed. */
    private record Built(Provider provider, String unusable, String identity) {
    }

    private Built provider(DeploymentSpec ds, SluiceConfig.ProviderConfig pc, Timeouts timeouts) {
        if (ds.unusable().isPresent()) {
            return new Built(null, ds.unusable().get(), "unusable");
        }
        String kind;
        Optional<String> base;
        Optional<String> key;
        Map<String, String> headers = new LinkedHashMap<>();
        Map<String, String> options = new LinkedHashMap<>();
        boolean keyless;
        boolean addV1 = false;
        if (pc != null) {
            kind = pc.kind().toLowerCase(Locale.ROOT);
            base = ds.baseUrl().or(() -> pc.baseUrl().map(String::strip).filter(s -> !s.isEmpty()));
            key = ds.apiKey().or(() -> pc.apiKey().map(String::strip).filter(s -> !s.isEmpty()));
            headers.putAll(pc.headers());
            options.putAll(pc.options());
            keyless = pc.keyless() || ds.baseUrl().isPresent();
            addV1 = pc.keyless() && registry.versionsKeylessBaseUrl(kind);
        } else if (registry.kinds().contains(ds.provider())) {
            kind = ds.provider();
            base = ds.baseUrl();
            key = ds.apiKey();
            keyless = ds.baseUrl().isPresent();
        } else {
            return new Built(null, "provider '" + ds.provider() + "' is neither a configured provider ("
                    + String.join(", ", new java.util.TreeSet<>(sluice.providers().keySet()))
                    + ") nor a protocol (" + String.join(", ", registry.kinds()) + ")", "unusable");
        }
        headers.putAll(ds.headers());
        options.putAll(ds.options());
        ProviderDraft draft = new ProviderDraft(ds.provider(), kind, base, key, keyless, addV1, Map.copyOf(headers),
                Map.copyOf(options), List.of(), timeouts.total(), Optional.of(timeouts.connect()),
                Optional.of(timeouts.streamIdle()), ProviderDraft.SettingHint.DEPLOYMENT);
        ProviderRegistry.Provision built = registry.provision(draft);
        if (built.provider() == null) {
            return new Built(null, built.unusable(), "unusable");
        }
        String identity = String.join("|", kind, base.orElse("-"),
                key.map(k -> Integer.toHexString(k.hashCode())).orElse("-"), headers.toString(), options.toString(),
                timeouts.toString());
        return new Built(built.provider(), null, identity);
    }

    private void checkFallbacks(String group, String what, List<String> names, Map<String, Group> groups,
                                Map<String, String> aliases, List<String> warnings) {
        for (String name : names) {
            if (groups.containsKey(name) || aliases.containsKey(name)) {
                continue;
            }
            try {
                resolver.resolve(name);
            } catch (ApiException e) {
                warnings.add((group == null ? "" : "model group '" + group + "': ") + what + " name '" + name
                        + "', which is neither a model group nor a model Sluice can route; it is skipped");
            }
        }
    }
}
