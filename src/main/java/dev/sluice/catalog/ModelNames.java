package dev.sluice.catalog;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Turns the model names people already use into the id a configured provider knows: OpenRouter-style
 * {@code vendor/model} names ({@code google/gemini-2.5-pro}, {@code meta-llama/llama-3.3-70b-instruct}), the
 * dotted versions of Anthropic's names ({@code claude-opus-4.5} for {@code claude-opus-4-5}) and the catalog's
 * aliases. Pure: the caller says which providers are configured.
 */
public final class ModelNames {

    /** A dot between two digits of a Claude name: Anthropic's ids use a dash there. */
    private static final Pattern CLAUDE_VERSION_DOT = Pattern.compile("(?<=\\d)\\.(?=\\d)");
    private static final String ANTHROPIC = "anthropic";

    /** A configured, enabled provider: its name, and its kind (the protocol it speaks). */
    public record Upstream(String name, String kind) {
    }

    /** A provider and the model id to send it. */
    public record Target(String provider, String model) {
    }

    private ModelNames() {
    }

    /**
     * The id to send a provider for a model name: the name itself when the catalog knows it under the provider,
     * else the id of the provider's entry that has the name as an alias, else (for Anthropic's protocol) the
     * name with the dots between version digits turned to dashes; otherwise the name unchanged, for the
     * provider to judge.
     */
    public static String canonical(Catalog catalog, Upstream upstream, String model) {
        List<String> keys = upstream.kind().equals(upstream.name()) ? List.of(upstream.name())
                : List.of(upstream.name(), upstream.kind());
        for (String key : keys) {
            if (catalog.exact(key, model).isPresent()) {
                return model;
            }
        }
        Optional<String> aliased = aliasFor(catalog, keys, model);
        if (aliased.isPresent()) {
            return aliased.get();
        }
        if (ANTHROPIC.equals(upstream.kind()) && model.startsWith("claude-")) {
            String dashed = CLAUDE_VERSION_DOT.matcher(model).replaceAll("-");
            return aliasFor(catalog, keys, dashed).orElse(dashed);
        }
        return model;
    }

    /**
     * Where an OpenRouter-style {@code vendor/model} name goes when {@code vendor} is not a provider's name: the
     * first configured provider among those that serve the vendor's models ({@link Catalog#vendor}): the vendor's
     * own API takes any of its models, the others the ones the catalog lists for them. A name
     * that the catalog gives as an alias of a configured provider's model goes there first.
     *
     * @param enabled a provider key (a provider's name, or the kind of a vendor protocol) to the configured
     *                provider it designates, if any
     */
    public static Optional<Target> vendorModel(Catalog catalog, String vendor, String model,
                                               Function<String, Optional<Upstream>> enabled) {
        String full = vendor + "/" + model;
        Optional<Catalog.Vendor> known = catalog.vendor(vendor);
        List<String> keys = new ArrayList<>();
        known.map(Catalog.Vendor::api).ifPresent(keys::add);
        known.ifPresent(v -> keys.addAll(v.via()));
        List<CatalogModel> aliased = new ArrayList<>(catalog.byAlias(full));
        aliased.sort((a, b) -> Integer.compare(rank(keys, a.provider()), rank(keys, b.provider())));
        for (CatalogModel m : aliased) {
            Optional<Upstream> u = enabled.apply(m.provider());
            if (u.isPresent()) {
                return Optional.of(new Target(u.get().name(), m.id()));
            }
        }
        for (String key : keys) {
            Optional<Upstream> found = enabled.apply(key);
            if (found.isEmpty()) {
                continue;
            }
            Upstream u = found.get();
            if (catalog.exact(key, full).isPresent()) {
                return Optional.of(new Target(u.name(), full));
            }
            String id = canonical(catalog, u, model);
            boolean ownApi = key.equals(known.get().api());
            if (ownApi || catalog.find(key, id).isPresent()) {
                return Optional.of(new Target(u.name(), id));
            }
        }
        return Optional.empty();
    }

    /** A plain alias of a provider's model; vendor-style aliases ({@code vendor/model}) only count as such. */
    private static Optional<String> aliasFor(Catalog catalog, List<String> keys, String name) {
        if (name.contains("/")) {
            return Optional.empty();
        }
        for (CatalogModel m : catalog.byAlias(name)) {
            if (keys.contains(m.provider())) {
                return Optional.of(m.id());
            }
        }
        return Optional.empty();
    }

    private static int rank(List<String> keys, String provider) {
        int i = keys.indexOf(provider);
        return i < 0 ? Integer.MAX_VALUE : i;
    }
}
