package dev.sluice.billing;

import dev.sluice.catalog.Catalog;
import dev.sluice.catalog.LiveCatalog;
import dev.sluice.catalog.CatalogModel;
import dev.sluice.catalog.ModelPrice;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.sluice.money.Money;
import dev.sluice.money.Price;
import dev.sluice.billing.PriceTable;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /admin/catalog} (master key): every model of the catalog in force with where it comes from (bundled,
 * file, url) and that source's date, the prices set in configuration (source {@code override}, which win), and
 * the state of the refresh. {@code POST /admin/catalog/refresh} reads the source again now.
 */
@Path("/admin/catalog")
@Tag(name = "Admin")
@Produces(MediaType.APPLICATION_JSON)
public class AdminCatalogResource {

    @Inject
    LiveCatalog catalog;
    @Inject
    PriceTable prices;

    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Entry(String id, String provider, String model, String source, @JsonProperty("as_of") String asOf,
                        @JsonProperty("context_window") Integer contextWindow,
                        @JsonProperty("max_output") Integer maxOutput, List<String> capabilities,
                        List<String> aliases, @JsonProperty("input_modalities") List<String> inputModalities,
                        @JsonProperty("output_modalities") List<String> outputModalities, Prices price,
                        @JsonProperty("deprecation_date") String deprecationDate) {
    }

    /** USD per million tokens, and per image or request. */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Prices(BigDecimal input, BigDecimal output, @JsonProperty("cached_input") BigDecimal cachedInput,
                         @JsonProperty("cache_write") BigDecimal cacheWrite,
                         @JsonProperty("per_image") BigDecimal perImage,
                         @JsonProperty("per_request") BigDecimal perRequest) {
    }

    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Refresh(String kind, String location, @JsonProperty("last_success") Instant lastSuccess,
                          @JsonProperty("last_failure") Instant lastFailure, @JsonProperty("last_error") String lastError) {
    }

    @RegisterForReflection
    public record View(@JsonProperty("as_of") String asOf, List<Catalog.Layer> sources, Refresh refresh,
                       List<Entry> models) {
    }

    @GET
    @Operation(summary = "The model catalog in force", description = "Each model with its source (bundled, file, "
            + "url, override) and date, limits, capabilities and prices (USD per million tokens).")
    public View view() {
        Catalog c = catalog.current();
        Map<String, Price> overrides = prices.overrides();
        List<Entry> out = new ArrayList<>();
        for (CatalogModel m : c.models()) {
            if (overrides.containsKey(m.key())) {
                continue;
            }
            ModelPrice p = m.price();
            out.add(new Entry(m.key(), m.provider(), m.id(), m.source(), m.asOf(), positive(m.contextWindow()),
                    positive(m.maxOutput()), m.capabilities().stream().sorted().toList(), m.aliases(),
                    m.inputModalities(), m.outputModalities(), p == null ? null : new Prices(p.input(), p.output(),
                    p.cachedInput(), p.cacheWrite(), p.perImage(), p.perRequest()), m.deprecationDate()));
        }
        overrides.forEach((name, p) -> {
            int slash = name.indexOf('/');
            CatalogModel m = slash > 0 ? c.exact(name.substring(0, slash), name.substring(slash + 1)).orElse(null)
                    : null;
            out.add(new Entry(name, slash > 0 ? name.substring(0, slash) : null,
                    slash > 0 ? name.substring(slash + 1) : name, "override", null,
                    m == null ? null : positive(m.contextWindow()),
                    p.maxOutputTokens() > 0 ? Integer.valueOf(p.maxOutputTokens()) : m == null ? null : positive(m.maxOutput()),
                    m == null ? null : m.capabilities().stream().sorted().toList(), m == null ? null : m.aliases(),
                    m == null ? null : m.inputModalities(), m == null ? null : m.outputModalities(),
                    new Prices(Money.usd(p.inputPerMillion()), Money.usd(p.outputPerMillion()),
                            Money.usd(p.cachedInputPerMillion()), Money.usd(p.cacheWritePerMillion()), null, null),
                    m == null ? null : m.deprecationDate()));
        });
        LiveCatalog.Status s = catalog.status();
        return new View(c.asOf(), c.layers(), new Refresh(s.kind(), s.location(), s.lastSuccess(), s.lastFailure(),
                s.lastError()), out);
    }

    @POST
    @Path("/refresh")
    @Operation(summary = "Refresh the catalog now", description = "Reads sluice.catalog.source again; a failure "
            + "keeps the catalog in force and is reported in refresh.last_error.")
    public Uni<View> refresh() {
        return catalog.refresh().map(ok -> view());
    }

    private static Integer positive(int n) {
        return n > 0 ? n : null;
    }
}
