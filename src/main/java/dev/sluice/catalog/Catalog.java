package dev.sluice.catalog;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The models Sluice knows, keyed {@code provider/id}: their limits, capabilities and prices, the names people
 * give them, and which providers serve each vendor's models. Immutable: a refresh builds a new one and swaps it
 * in, so a request keeps the catalog it started with.
 *
 * <p>A lookup tries the model name as given, then without the forms that name the same model at the same price:
 * a date suffix ({@code gpt-4o-2024-08-06}), and for Bedrock ids a version suffix ({@code -v1:0}, {@code :0}),
 * an inference-profile prefix ({@code us.}, {@code eu.}, {@code global.}...) and an ARN's path.
 */
public final class Catalog {

    public static final Catalog EMPTY = new Catalog(Map.of(), Map.of(), List.of());

    private static final Pattern DATE_SUFFIX = Pattern.compile("-(\\d{4}-\\d{2}-\\d{2}|\\d{8}|latest)$");
    /** Bedrock's model-version suffix: {@code -v1:0}, {@code -v2}, or a bare {@code :0}. */
    private static final Pattern VERSION_SUFFIX = Pattern.compile("(-v\\d+(:\\d+)?|:\\d+)$");
    private static final Pattern COLON_SUFFIX = Pattern.compile(":\\d+$");
    /** A Bedrock cross-region inference profile's prefix, before {@code vendor.model}. */
    private static final Pattern PROFILE_PREFIX = Pattern.compile("^(us|eu|apac|jp|au|ca|us-gov|global)\\.(?=[^.]+\\.)");

    private final Map<String, CatalogModel> models;
    private final Map<String, Vendor> vendors;
    private final Map<String, List<CatalogModel>> byAlias = new LinkedHashMap<>();
    private final List<Layer> layers;

    /**
     * One source merged into this catalog: its kind, where it came from, its date, how many models it gave and
     * how many entries it had that could not be used (a community-kept file may carry a few odd ones).
     */
    public record Layer(String source, String location, String asOf, int models, int skipped) {
    }

    /**
     * @param models  by {@code provider/id}, in the order to list them
     * @param vendors vendor name (OpenRouter's: {@code google}, {@code meta-llama}) to the providers serving its
     *                models
     * @param layers  the sources, base first
     */
    /**
     * Who serves a vendor's models.
     *
     * @param api the provider key of the vendor's own API (null when it has none, like Meta's Llama): it serves
     *            every model of the vendor, listed in the catalog or not
     * @param via other provider keys, tried in order, that serve the models the catalog lists for them
     */
    public record Vendor(String api, List<String> via) {
    }

    public Catalog(Map<String, CatalogModel> models, Map<String, Vendor> vendors, List<Layer> layers) {
        this.models = Collections.unmodifiableMap(new LinkedHashMap<>(models));
        this.vendors = Map.copyOf(vendors);
        this.layers = List.copyOf(layers);
        for (CatalogModel m : this.models.values()) {
            for (String alias : m.aliases()) {
                byAlias.computeIfAbsent(alias, a -> new ArrayList<>()).add(m);
            }
        }
    }

    /**
     * This catalog with {@code over}'s entries on top: an entry of {@code over} replaces the one with the same
     * key, and its vendor lists replace this one's.
     */
    public Catalog with(Catalog over) {
        Map<String, CatalogModel> merged = new LinkedHashMap<>(models);
        merged.putAll(over.models);
        Map<String, Vendor> v = new LinkedHashMap<>(vendors);
        v.putAll(over.vendors);
        List<Layer> l = new ArrayList<>(layers);
        l.addAll(over.layers);
        return new Catalog(merged, v, l);
    }

    public Collection<CatalogModel> models() {
        return models.values();
    }

    public List<Layer> layers() {
        return layers;
    }

    /** The newest date among the sources ({@code unknown} for an empty catalog). */
    public String asOf() {
        return layers.stream().map(Layer::asOf).max(String::compareTo).orElse("unknown");
    }

    /** The entry with exactly this key. */
    public Optional<CatalogModel> exact(String provider, String id) {
        return Optional.ofNullable(models.get(provider + "/" + id));
    }

    /** The entry of a provider's model, under the model's name or one of the forms {@link #candidates} gives. */
    public Optional<CatalogModel> find(String provider, String model) {
        if (!model.startsWith("arn:")) {
            // the name itself is the first candidate: most requests name a model as the catalog keys it, and
            // looking it up first spares them the four pattern matches of the other forms
            CatalogModel exact = models.get(provider + "/" + model);
            if (exact != null) {
                return Optional.of(exact);
            }
        }
        for (String candidate : candidates(model)) {
            CatalogModel m = models.get(provider + "/" + candidate);
            if (m != null) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }

    /** The entries that carry this alias, in catalog order. */
    public List<CatalogModel> byAlias(String alias) {
        return byAlias.getOrDefault(alias, List.of());
    }

    /** Who serves a vendor's models, if the catalog knows the vendor. */
    public Optional<Vendor> vendor(String vendor) {
        return Optional.ofNullable(vendors.get(vendor));
    }

    public Map<String, Vendor> vendors() {
        return vendors;
    }

    /** The model name, then the same model under the names catalogs key it by, most specific first. */
    public static List<String> candidates(String model) {
        List<String> out = new ArrayList<>(8);
        String id = model.startsWith("arn:") && model.contains("/") ? model.substring(model.lastIndexOf('/') + 1) : model;
        String unprefixed = PROFILE_PREFIX.matcher(id).replaceFirst("");
        for (String base : unprefixed.equals(id) ? List.of(id) : List.of(id, unprefixed)) {
            add(out, base);
            add(out, COLON_SUFFIX.matcher(base).replaceFirst(""));
            String unversioned = VERSION_SUFFIX.matcher(base).replaceFirst("");
            add(out, unversioned);
            add(out, DATE_SUFFIX.matcher(unversioned).replaceFirst(""));
        }
        return out;
    }

    private static void add(List<String> list, String name) {
        if (!name.isEmpty() && !list.contains(name)) {
            list.add(name);
        }
    }
}
