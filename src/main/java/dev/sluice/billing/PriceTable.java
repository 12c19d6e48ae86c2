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
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Finds the price of the model that served a request, in this order: a deployment's configured price, a
 * configured {@code provider/model} price (exact, then globs), the shipped table ({@code prices.json}, dated),
 * and finally the configured default price when {@code sluice.billing.unpriced=default}. A model found nowhere has
 * no price: it is refused for virtual keys, never silently free.
 *
 * <p>Names are tried under the provider's configured name, then, for the native protocols whose kind names the
 * vendor ({@code anthropic}, {@code gemini}, {@code azure}, {@code bedrock}), under its kind, so that a second
 * Azure resource or Bedrock region configured under another name finds the same prices. Model names are tried as
 * given, then without the forms that do not change the price: a date suffix ({@code gpt-4o-2024-08-06}), and for
 * Bedrock ids a version suffix ({@code -v1:0}, {@code :0}), then the inference-profile prefix ({@code us.},
 * {@code eu.}, {@code apac.}, {@code global.}...) and an ARN's path.
 */
@ApplicationScoped
public class PriceTable {

    static final String RESOURCE = "prices.json";
    private static final Pattern DATE_SUFFIX = Pattern.compile("-(\\d{4}-\\d{2}-\\d{2}|\\d{8}|latest)$");
    /** Bedrock's model-version suffix: {@code -v1:0}, {@code -v2}, or a bare {@code :0}. */
    private static final Pattern VERSION_SUFFIX = Pattern.compile("(-v\\d+(:\\d+)?|:\\d+)$");
    private static final Pattern COLON_SUFFIX = Pattern.compile(":\\d+$");
    /** A Bedrock cross-region inference profile's prefix, before {@code vendor.model}. */
    private static final Pattern PROFILE_PREFIX = Pattern.compile("^(us|eu|apac|jp|au|ca|us-gov|global)\\.(?=[^.]+\\.)");
    /** Protocols whose kind names the vendor, so that their models' prices are the same under any provider name. */
    private static final Set<String> VENDOR_KINDS = Set.of("anthropic", "gemini", "azure", "bedrock");

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
                    p.path("max_output").asInt(0), "price table of " + asOf));
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
        String name = target.provider().name();
        String kind = target.provider().kind();
        Optional<Price> found = lookup(name, target.model());
        if (found.isEmpty() && !kind.equals(name) && VENDOR_KINDS.contains(kind)) {
            found = lookup(kind, target.model());
        }
        return found.or(() -> Optional.ofNullable(fallback));
    }

    /** The price of a model of a provider (by its name), or the configured default. */
    Optional<Price> find(String provider, String model) {
        return lookup(provider, model).or(() -> Optional.ofNullable(fallback));
    }

    private Optional<Price> lookup(String provider, String model) {
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
        for (String candidate : candidates(model)) {
            p = table.get(provider + "/" + candidate);
            if (p != null) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** The model name, then the same model under the names the table keys it by, most specific first. */
    static List<String> candidates(String model) {
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
