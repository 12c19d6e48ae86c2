package dev.sluice.provider;

import dev.sluice.catalog.Catalog;
import dev.sluice.catalog.CatalogModel;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The most a model can write, from one source of truth: the model catalog's {@code max_output}, with the
 * provider's {@code max-output-tokens.<model-prefix>} options laid over it. The most specific wins, as in a
 * {@link ModelTable}: a configured prefix that names the model the catalog entry is for, or more
 * ({@code claude-opus-4-1} for {@code claude-opus-4-1-20250805}, whether the catalog keys it dated or not), beats the
 * catalog; a shorter one ({@code claude}) only covers models the catalog gives no {@code max_output}; a model
 * neither knows gets the fallback.
 *
 * <p>The catalog is read through a supplier on each lookup (an atomic read and a map lookup: nothing blocks),
 * so a catalog refresh reaches providers built before it.
 */
public final class OutputLimits {

    private final Map<String, Integer> configured;
    private final ModelTable<Integer> overrides;
    private final Supplier<Catalog> catalog;
    private final List<String> catalogKeys;
    private final int fallback;

    /**
     * @param configured  the provider's {@code max-output-tokens.*} options by model-name prefix
     * @param catalog     the catalog in force
     * @param catalogKeys the catalog's provider keys to look the model up under, in order
     * @param fallback    the limit of a model neither the options nor the catalog know
     */
    public OutputLimits(Map<String, Integer> configured, Supplier<Catalog> catalog, List<String> catalogKeys,
                        int fallback) {
        this.configured = Map.copyOf(configured);
        this.overrides = new ModelTable<>(configured, null);
        this.catalog = catalog;
        this.catalogKeys = List.copyOf(catalogKeys);
        this.fallback = fallback;
    }

    /**
     * The limits of a provider: its {@code max-output-tokens.*} options over the catalog, else
     * {@link ClaudeThinking#DEFAULT_MAX_OUTPUT}.
     */
    public static OutputLimits of(ProviderOptions options, Supplier<Catalog> catalog, List<String> catalogKeys) {
        Map<String, Integer> configured = options.keyedIntegers("max-output-tokens");
        configured.forEach((prefix, limit) -> {
            if (limit < 1) {
                throw new IllegalStateException(
                        options.property("max-output-tokens." + prefix) + " must be at least 1");
            }
        });
        return new OutputLimits(configured, catalog, catalogKeys, ClaudeThinking.DEFAULT_MAX_OUTPUT);
    }

    /** The output limit of a model, by the name the provider's API knows it. */
    public int lookup(String model) {
        Integer override = overrides.lookup(model);
        int overrideLength = override == null ? -1 : longestPrefix(model);
        Optional<CatalogModel> known = fromCatalog(model);
        if (known.isPresent() && baseName(known.get().id()).length() > overrideLength) {
            return known.get().maxOutput();
        }
        return override != null ? override : fallback;
    }

    private Optional<CatalogModel> fromCatalog(String model) {
        Catalog c = catalog.get();
        for (String key : catalogKeys) {
            Optional<CatalogModel> m = c.find(key, model).filter(e -> e.maxOutput() > 0);
            if (m.isPresent()) {
                return m;
            }
        }
        return Optional.empty();
    }

    /**
     * The model's name without the date or version suffix a catalog may key it by ({@code claude-opus-4-1} for
     * {@code claude-opus-4-1-20250805}): an option naming the model overrides a dated entry too.
     */
    private static String baseName(String id) {
        List<String> forms = Catalog.candidates(id);
        return forms.get(forms.size() - 1);
    }

    private int longestPrefix(String model) {
        int best = -1;
        for (String prefix : configured.keySet()) {
            String p = prefix.endsWith("*") ? prefix.substring(0, prefix.length() - 1) : prefix;
            if (model.startsWith(p)) {
                best = Math.max(best, p.length());
            }
        }
        return best;
    }

    @Override
    public String toString() {
        return "catalog " + catalogKeys + " under " + configured + " (otherwise " + fallback + ")";
    }
}
