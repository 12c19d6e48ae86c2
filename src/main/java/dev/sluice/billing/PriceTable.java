package dev.sluice.billing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.routing.ResolvedModel;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Finds the price of the model that served a request, in this order: a deployment's configured price, a
 * configured {@code provider/model} price (exact, then globs), the shipped table ({@code prices.json}, dated),
 * and finally the configured default price when {@code sluice.billing.unpriced=default}. A model found nowhere has
 * no price: it is refused for virtual keys, never silently free.
 */
@ApplicationScoped
public class PriceTable {

    static final String RESOURCE = "prices.json";
    private static final Pattern DATE_SUFFIX = Pattern.compile("-(\\d{4}-\\d{2}-\\d{2}|\\d{8}|latest)$");

    private record Rule(Pattern glob, Price price) {
    }

    private final Map<String, Price> table = new HashMap<>();
    private final Map<String, Price> configured = new HashMap<>();
    private final List<Rule> configuredGlobs = new ArrayList<>();
    private final Map<String, Price> deployments = new HashMap<>();
    private final Price fallback;
    private final String asOf;

    @Inject
    public PriceTable(BillingConfig config, ObjectMapper mapper) {
        JsonNode root;
        try (InputStream in = PriceTable.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the application");
            }
            root = mapper.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        asOf = root.path("as_of").asText("unknown");
        for (Iterator<Map.Entry<String, JsonNode>> it = root.path("models").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode p = e.getValue();
            BigDecimal input = new BigDecimal(p.path("input").asText());
            table.put(e.getKey(), price(input, new BigDecimal(p.path("output").asText()),
                    p.hasNonNull("cached_input") ? new BigDecimal(p.get("cached_input").asText()) : input,
                    p.hasNonNull("cache_write") ? new BigDecimal(p.get("cache_write").asText()) : input,
                    "price table of " + asOf));
        }
        config.prices().forEach((name, pc) -> {
            Price price = price(pc, "sluice.billing.prices.\"" + name + "\"");
            if (name.contains("*") || name.contains("?")) {
                configuredGlobs.add(new Rule(glob(name), price));
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
        Log.infof("Prices: %d models in the table of %s, %d configured", table.size(), asOf,
                configured.size() + configuredGlobs.size() + deployments.size());
    }

    /** The date of the shipped price table. */
    public String asOf() {
        return asOf;
    }

    public Optional<Price> find(ResolvedModel target) {
        if (target == null) {
            return Optional.ofNullable(fallback);
        }
        Price p = deployments.get(target.deployment());
        if (p != null) {
            return Optional.of(p);
        }
        return find(target.provider().name(), target.model());
    }

    Optional<Price> find(String provider, String model) {
        String name = provider + "/" + model;
        Price p = configured.get(name);
        if (p != null) {
            return Optional.of(p);
        }
        for (Rule r : configuredGlobs) {
            if (r.glob().matcher(name).matches()) {
                return Optional.of(r.price());
            }
        }
        p = table.get(name);
        if (p == null) {
            String undated = DATE_SUFFIX.matcher(model).replaceFirst("");
            p = table.get(provider + "/" + undated);
        }
        return Optional.ofNullable(p != null ? p : fallback);
    }

    private static Price price(BillingConfig.PriceConfig pc, String source) {
        return price(pc.input(), pc.output(), pc.cachedInput().orElse(pc.input()), pc.cacheWrite().orElse(pc.input()),
                source);
    }

    private static Price price(BigDecimal input, BigDecimal output, BigDecimal cached, BigDecimal write, String source) {
        return new Price(Money.micros(input), Money.micros(output), Money.micros(cached), Money.micros(write), source);
    }

    private static Pattern glob(String glob) {
        StringBuilder re = new StringBuilder();
        for (String part : glob.split("(?=[*?])|(?<=[*?])")) {
            re.append(part.equals("*") ? ".*" : part.equals("?") ? "." : Pattern.quote(part));
        }
        return Pattern.compile(re.toString());
    }
}
