package dev.sluice.billing;

import dev.sluice.money.Price;
import dev.sluice.money.Money;
import dev.sluice.catalog.Catalog;
import dev.sluice.catalog.CatalogModel;
import dev.sluice.catalog.LiveCatalog;
import dev.sluice.catalog.ModelPrice;
import dev.sluice.provider.ResolvedModel;
import dev.sluice.provider.ProviderProfile.Feature;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Finds the price of the model that served a request, in this order: a deployment's configured price, a
 * configured {@code provider/model} price (exact, then globs), the model catalog in force ({@link LiveCatalog}:
 * the bundled catalog, refreshed from {@code sluice.catalog.source}), and finally the configured default price when
 * {@code sluice.billing.unpriced=default}. A model found nowhere has no price: it is refused for virtual keys,
 * never silently free.
 *
 * <p>Names are tried under the provider's configured name, then, for the native protocols whose kind names the
 * vendor ({@code anthropic}, {@code gemini}, {@code azure}, {@code bedrock}), under its kind, so that a second
 * Azure resource or Bedrock region configured under another name finds the same prices. Model names are tried in
 * the forms {@link Catalog#candidates} gives (without a date suffix, a Bedrock version or profile prefix).
 */
@ApplicationScoped
public class PriceTable {

    private record Rule(String name, Pattern glob, Price price) {
    }

    /** A looked-up price and the catalog it was found in: valid while that catalog is the one in force. */
    private record Found(Catalog catalog, Optional<Price> price) {
    }

    /**
     * Prices already looked up, by {@code provider/model}: a request asks for its target's price several times
     * (admission, reservation, each attempt, settlement), and each lookup otherwise matches the globs, tries the
     * catalog's name forms and converts the catalog's decimal prices again. Bounded, since routes with a
     * wildcard let clients choose model names; its upkeep runs on the caller's thread, never as a task handed to
     * another thread per request.
     */
    private final Cache<String, Found> found = Caffeine.newBuilder().maximumSize(4096).executor(Runnable::run).build();

    private final LiveCatalog catalog;
    private final Map<String, Price> configured = new LinkedHashMap<>();
    private final List<Rule> configuredGlobs = new ArrayList<>();
    private final Map<String, Price> deployments = new LinkedHashMap<>();
    private final Price fallback;

    @Inject
    public PriceTable(BillingConfig config, LiveCatalog catalog) {
        this.catalog = catalog;
        config.prices().forEach((name, pc) -> {
            Price price = price(pc, "sluice.billing.prices.\"" + name + "\"");
            if (name.contains("*") || name.contains("?")) {
                configuredGlobs.add(new Rule(name, glob(name), price));
            } else {
                configured.put(name, price);
            }
        });
        config.deployments().forEach((name, pc) -> deployments.put(name,
                price(pc, "sluice.billing.deployments.\"" + name + "\"")));
        fallback = config.unpriced() == BillingConfig.Unpriced.DEFAULT
                ? config.defaultPrice().map(pc -> price(pc, "sluice.billing.default-price")).orElseThrow(() ->
                new IllegalStateException("sluice.billing.unpriced=default needs sluice.billing.default-price.input "
                        + "and .output"))
                : null;
        Log.infof("Prices: %d models in the catalog of %s, %d configured", catalog.current().models().size(),
                asOf(), configured.size() + configuredGlobs.size() + deployments.size());
    }

    /** The date of the catalog the prices come from. */
    public String asOf() {
        return catalog.current().asOf();
    }

    /** The prices set in configuration, by {@code provider/model} (or glob) and by deployment: they win over the catalog. */
    public Map<String, Price> overrides() {
        Map<String, Price> out = new LinkedHashMap<>(configured);
        configuredGlobs.forEach(r -> out.put(r.name(), r.price()));
        return out;
    }

    /** The prices set per deployment id. */
    public Map<String, Price> deploymentOverrides() {
        return deployments;
    }

    public Optional<Price> find(ResolvedModel target) {
        if (target == null) {
            return Optional.ofNullable(fallback);
        }
        Price p = deployments.get(target.deployment());
        if (p != null) {
            return Optional.of(p);
        }
        String name = target.provider().name();
        String kind = target.provider().kind();
        Optional<Price> found = lookup(name, target.model());
        if (found.isEmpty() && !kind.equals(name) && target.provider().profile().has(Feature.VENDOR_PROTOCOL)) {
            found = lookup(kind, target.model());
        }
        return found.or(() -> Optional.ofNullable(fallback));
    }

    /** The price of a model of a provider (by its name), or the configured default. */
    Optional<Price> find(String provider, String model) {
        return lookup(provider, model).or(() -> Optional.ofNullable(fallback));
    }

    /** The price of a model of a provider (by its name) set by the operator or the catalog; no default. */
    Optional<Price> known(String provider, String model) {
        return lookup(provider, model);
    }

    private Optional<Price> lookup(String provider, String model) {
        String name = provider + "/" + model;
        Catalog current = catalog.current();
        Found hit = found.getIfPresent(name);
        if (hit != null && hit.catalog() == current) {
            return hit.price();
        }
        Optional<Price> price = lookup(current, name, provider, model);
        found.put(name, new Found(current, price));
        return price;
    }

    private Optional<Price> lookup(Catalog current, String name, String provider, String model) {
        Price p = configured.get(name);
        if (p != null) {
            return Optional.of(p);
        }
        for (Rule r : configuredGlobs) {
            if (r.glob().matcher(name).matches()) {
                return Optional.of(r.price());
            }
        }
        return current.find(provider, model).flatMap(PriceTable::price);
    }

    /** A catalog entry's price in Sluice's units, with its largest output; none when the catalog gives no price. */
    static Optional<Price> price(CatalogModel m) {
        ModelPrice p = m.price();
        if (p == null) {
            return Optional.empty();
        }
        return Optional.of(price(p.input(), p.output(), p.cachedInput(), p.cacheWrite(), m.maxOutput(),
                "catalog (" + m.source() + ", " + m.asOf() + ")"));
    }

    private static Price price(BillingConfig.PriceConfig pc, String source) {
        return price(pc.input(), pc.output(), pc.cachedInput().orElse(pc.input()), pc.cacheWrite().orElse(pc.input()),
                pc.maxOutputTokens().orElse(0), source);
    }

    private static Price price(BigDecimal input, BigDecimal output, BigDecimal cached, BigDecimal write, int maxOutput,
                               String source) {
        return new Price(Money.micros(input), Money.micros(output), Money.micros(cached), Money.micros(write),
                Math.max(0, maxOutput), source);
    }

    private static Pattern glob(String glob) {
        StringBuilder re = new StringBuilder();
        for (String part : glob.split("(?=[*?])|(?<=[*?])")) {
            re.append(part.equals("*") ? ".*" : part.equals("?") ? "." : Pattern.quote(part));
        }
        return Pattern.compile(re.toString());
    }
}
