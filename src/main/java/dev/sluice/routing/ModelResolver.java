package dev.sluice.routing;

import dev.sluice.provider.ResolvedModel;
import dev.sluice.openai.ApiException;
import dev.sluice.catalog.Catalog;
import dev.sluice.catalog.LiveCatalog;
import dev.sluice.catalog.ModelNames;
import dev.sluice.config.SluiceConfig;
import dev.sluice.provider.Provider;
import dev.sluice.provider.ProviderRegistry;
import dev.sluice.provider.ProviderProfile.Feature;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finds the provider and upstream model for a requested model name:
 * <ol>
 *   <li>an alias ({@code sluice.aliases.<name>=provider/model}) is replaced by its target;</li>
 *   <li>{@code provider/model} goes to that provider (the model part may itself contain slashes);</li>
 *   <li>an OpenRouter-style {@code vendor/model} whose vendor is not a provider's name ({@code google/...},
 *   {@code meta-llama/...}) goes to the first configured provider serving that vendor's models in the model
 *   catalog, as does {@code provider/model} when that provider is not configured and another serves the model;</li>
 *   <li>a bare name goes to the provider of the first matching rule in {@code sluice.model-rules}.</li>
 * </ol>
 * The model part then becomes the id the provider knows ({@link ModelNames#canonical}): a catalog alias, or for
 * Anthropic's protocol the dashed form of a dotted version ({@code claude-opus-4.8} → {@code claude-opus-4-8}).
 * A name that matches nothing, or a provider that is not configured, is a 404 {@code model_not_found} that
 * says what is missing.
 */
@ApplicationScoped
public class ModelResolver {

    /** One {@code glob=provider} rule; the glob may end with {@code *}. */
    record Rule(String glob, String provider) {
        boolean matches(String model) {
            return glob.endsWith("*") ? model.startsWith(glob.substring(0, glob.length() - 1)) : model.equals(glob);
        }
    }

    private final ProviderRegistry providers;
    private final LiveCatalog catalog;
    private final Map<String, String> aliases;
    private final List<Rule> rules;

    @Inject
    public ModelResolver(ProviderRegistry providers, SluiceConfig config, LiveCatalog catalog) {
        this.providers = providers;
        this.catalog = catalog;
        this.aliases = Map.copyOf(config.aliases());
        List<Rule> parsed = new ArrayList<>();
        for (String rule : config.modelRules()) {
            int eq = rule.indexOf('=');
            if (eq <= 0 || eq == rule.length() - 1) {
                throw new IllegalStateException("sluice.model-rules: '" + rule + "' is not of the form glob=provider");
            }
            parsed.add(new Rule(rule.substring(0, eq).strip(), rule.substring(eq + 1).strip()));
        }
        this.rules = List.copyOf(parsed);
    }

    public ResolvedModel resolve(String requested) {
        String target = aliases.getOrDefault(requested, requested);
        Catalog known = catalog.current();
        int slash = target.indexOf('/');
        if (slash > 0 && providers.known(target.substring(0, slash))) {
            String providerName = target.substring(0, slash);
            String model = target.substring(slash + 1);
            if (model.isBlank()) {
                throw ApiException.modelNotFound("The model '" + requested + "' names provider '" + providerName
                        + "' but no model; use " + providerName + "/<model>");
            }
            if (providers.get(providerName).isEmpty()) {
                // not configured here: another configured provider may serve the vendor's model
                Optional<ModelNames.Target> elsewhere = ModelNames.vendorModel(known, providerName, model, this::upstream);
                if (elsewhere.isPresent()) {
                    return new ResolvedModel(requested, enabled(requested, elsewhere.get().provider()),
                            elsewhere.get().model());
                }
            }
            Provider provider = enabled(requested, providerName);
            return new ResolvedModel(requested, provider, ModelNames.canonical(known, upstream(provider), model));
        }
        if (slash > 0) {
            Optional<ModelNames.Target> served = ModelNames.vendorModel(known, target.substring(0, slash),
                    target.substring(slash + 1), this::upstream);
            if (served.isPresent()) {
                return new ResolvedModel(requested, enabled(requested, served.get().provider()), served.get().model());
            }
        }
        for (Rule rule : rules) {
            if (rule.matches(target)) {
                Provider provider = enabled(requested, rule.provider());
                return new ResolvedModel(requested, provider, ModelNames.canonical(known, upstream(provider), target));
            }
        }
        throw ApiException.modelNotFound("The model '" + requested + "' does not exist on this gateway: use "
                + "provider/model (enabled providers: " + String.join(", ", enabledNames()) + ") or a configured alias");
    }

    /**
     * The enabled provider a catalog provider key designates: the provider of that name, or else the first
     * enabled one whose kind is that vendor protocol (a second Azure resource, another Bedrock region).
     */
    private Optional<ModelNames.Upstream> upstream(String key) {
        Optional<Provider> byName = providers.get(key);
        if (byName.isPresent()) {
            return byName.map(ModelResolver::upstream);
        }
        for (Provider p : providers.all()) {
            if (p.profile().has(Feature.VENDOR_PROTOCOL) && p.kind().equals(key)) {
                return Optional.of(upstream(p));
            }
        }
        return Optional.empty();
    }

    private static ModelNames.Upstream upstream(Provider p) {
        return new ModelNames.Upstream(p.name(), p.kind());
    }

    /** The provider the model rules give a bare model name (gpt-4o → openai), configured or not. */
    public Optional<String> providerForBareName(String model) {
        for (Rule rule : rules) {
            if (rule.matches(model)) {
                return Optional.of(rule.provider());
            }
        }
        return Optional.empty();
    }

    /** The aliases, public name to {@code provider/model}. */
    public Map<String, String> aliases() {
        return aliases;
    }

    /** The provider an alias points to, if it is enabled. */
    public Optional<Provider> aliasProvider(String alias) {
        String target = aliases.get(alias);
        if (target == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(resolve(alias).provider());
        } catch (ApiException e) {
            return Optional.empty();
        }
    }

    private Provider enabled(String requested, String providerName) {
        return providers.get(providerName).orElseThrow(() -> ApiException.modelNotFound(
                "The model '" + requested + "' is served by provider '" + providerName + "', which is not "
                        + "configured" + providers.whyDisabled(providerName).map(r -> ": " + r).orElse("")));
    }

    private List<String> enabledNames() {
        List<String> names = new ArrayList<>();
        providers.all().forEach(p -> names.add(p.name()));
        return names.isEmpty() ? List.of("none") : names;
    }
}
