package dev.sluice.api;

import dev.sluice.openai.ApiException;
import dev.sluice.auth.Caller;
import dev.sluice.catalog.Catalog;
import dev.sluice.catalog.LiveCatalog;
import dev.sluice.catalog.ModelCard;
import dev.sluice.keys.VirtualKey;
import dev.sluice.provider.ModelCatalog;
import dev.sluice.provider.Provider;
import dev.sluice.provider.ProviderModel;
import dev.sluice.routing.ModelResolver;
import dev.sluice.provider.ResolvedModel;
import dev.sluice.provider.ProviderProfile.Feature;
import dev.sluice.routing.Routes;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code GET /v1/models} and {@code GET /v1/models/{model}}: every model this gateway can serve, that is the
 * model groups of the routing files, the configured aliases, and each enabled provider's own list as
 * {@code provider/model}; each with what the model catalog knows of it (context length, pricing, capabilities).
 * A virtual key with an allow-list sees only the names it may use.
 */
@Path("/v1/models")
@Tag(name = "OpenAI-compatible")
@Produces(MediaType.APPLICATION_JSON)
public class ModelsResource {

    /**
     * When this gateway started (epoch seconds): the {@code created} of the model names it defines itself. An
     * instance field, read when the bean is created at run time: a static one would be computed when the class is
     * initialised, which for a native executable is at image build, and every instance would report the build's
     * clock.
     */
    private final long started = Instant.now().getEpochSecond();

    @Inject
    ModelCatalog catalog;
    @Inject
    LiveCatalog models;
    @Inject
    ModelResolver resolver;
    @Inject
    Routes routes;

    /** Creates the resource as the application starts, so that {@link #started} is the start time. */
    void onStart(@Observes StartupEvent event) {
        // observing the event is what instantiates the bean; nothing else to do
    }

    @GET
    @Operation(summary = "List models", description = "Aliases first, then each provider's models as provider/model. "
            + "A provider whose list does not arrive within sluice.models.list-timeout is left out.")
    public Uni<ModelList> list(RoutingContext rc) {
        return visibleTo(callerKey(rc));
    }

    /** The models a key may use (every model for the master key or an open gateway: {@code key} null). */
    public Uni<ModelList> visibleTo(VirtualKey key) {
        return catalog.all().map(byProvider -> {
            Catalog known = models.current();
            List<ModelObject> out = new ArrayList<>();
            Set<String> seen = new LinkedHashSet<>();
            for (String group : routes.publicNames()) {
                if (seen.add(group) && allows(key, group)) {
                    out.add(new ModelObject(group, started, "sluice"));
                }
            }
            for (Map.Entry<String, String> alias : resolver.aliases().entrySet()) {
                resolver.aliasProvider(alias.getKey()).ifPresent(p -> {
                    if (seen.add(alias.getKey()) && allows(key, alias.getKey(), alias.getValue())) {
                        out.add(new ModelObject(alias.getKey(), started, p.name(),
                                card(known, resolver.resolve(alias.getKey()))));
                    }
                });
            }
            byProvider.forEach((provider, list) -> {
                for (ProviderModel m : list) {
                    String id = provider.name() + "/" + m.id();
                    if (seen.add(id) && allows(key, id)) {
                        out.add(new ModelObject(id, m.created(), provider.name(),
                                card(known, new ResolvedModel(id, provider, m.id()))));
                    }
                }
            });
            return new ModelList(out);
        });
    }

    /** The virtual key calling, null for the master key or an open gateway. */
    private static VirtualKey callerKey(RoutingContext rc) {
        Caller caller = Caller.of(rc);
        return caller == null ? null : caller.details(VirtualKey.class).orElse(null);
    }

    private static boolean allows(VirtualKey key, String... names) {
        return key == null || key.allows(names);
    }

    /** What the catalog knows of a provider's model, under the provider's name or its vendor kind. */
    private static ModelCard card(Catalog known, ResolvedModel target) {
        Provider p = target.provider();
        return known.find(p.name(), target.model())
                .or(() -> p.profile().has(Feature.VENDOR_PROTOCOL) ? known.find(p.kind(), target.model())
                        : java.util.Optional.empty())
                .map(ModelCard::of).orElse(null);
    }

    @GET
    @Path("/{model: .+}")
    @Operation(summary = "Retrieve a model", description = "Accepts an alias, provider/model or a bare name.")
    public Uni<ModelObject> get(@PathParam("model") String model) {
        if (routes.isGroup(model)) {
            return Uni.createFrom().item(new ModelObject(model, started, "sluice"));
        }
        ResolvedModel resolved = resolver.resolve(model);
        Provider provider = resolved.provider();
        ModelCard card = card(models.current(), resolved);
        if (resolver.aliases().containsKey(model)) {
            return Uni.createFrom().item(new ModelObject(model, started, provider.name(), card));
        }
        return catalog.available(provider).chain(available -> catalog.models(provider).map(list -> {
            for (ProviderModel m : list) {
                if (m.id().equals(resolved.model())) {
                    return new ModelObject(model, m.created(), provider.name(), card);
                }
            }
            if (!available) {
                // the provider's list cannot be had right now: the model may well exist, so do not deny it
                return new ModelObject(model, 0, provider.name(), card);
            }
            throw ApiException.modelNotFound("The model '" + model + "' does not exist on provider '"
                    + provider.name() + "'");
        }));
    }
}
