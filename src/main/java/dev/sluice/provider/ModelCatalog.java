package dev.sluice.provider;

import io.quarkus.cache.Cache;
import io.quarkus.cache.CacheName;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import dev.sluice.config.SluiceConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every provider's own model list, fetched from its list endpoint and cached ({@code sluice.models.cache-ttl}).
 * Each provider gets {@code sluice.models.list-timeout} to answer; one that is slow or failing is left out of
 * that answer (and not cached), so it can never stall the others.
 */
@ApplicationScoped
public class ModelCatalog {

    private final ProviderRegistry registry;
    private final Cache cache;
    private final Duration timeout;

    @Inject
    public ModelCatalog(ProviderRegistry registry, @CacheName("provider-models") Cache cache, SluiceConfig config) {
        this.registry = registry;
        this.cache = cache;
        this.timeout = config.models().listTimeout();
    }

    /** Each enabled provider's models, in provider order; a provider that failed maps to an empty list. */
    public Uni<Map<Provider, List<ProviderModel>>> all() {
        List<Provider> providers = new ArrayList<>(registry.all());
        if (providers.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        List<Uni<List<ProviderModel>>> lists = providers.stream().map(this::models).toList();
        return Uni.join().all(lists).andFailFast().map(results -> {
            Map<Provider, List<ProviderModel>> out = new LinkedHashMap<>();
            for (int i = 0; i < providers.size(); i++) {
                out.put(providers.get(i), results.get(i));
            }
            return out;
        });
    }

    /** One provider's models; empty when its list could not be had in time. */
    public Uni<List<ProviderModel>> models(Provider provider) {
        return fetch(provider).onFailure().recoverWithItem(f -> {
            Log.debugf("Model list of provider %s unavailable: %s", provider.name(), f.getMessage());
            return List.of();
        }).map(listed -> withConfigured(provider, listed));
    }

    /** Whether the provider's list could be had, to tell "not listed" from "unknown". */
    public Uni<Boolean> available(Provider provider) {
        return fetch(provider).map(l -> true).onFailure().recoverWithItem(false);
    }

    private Uni<List<ProviderModel>> fetch(Provider provider) {
        return cache.getAsync(provider.name(), name -> provider.listModels()
                .ifNoItem().after(timeout).failWith(() -> UpstreamException.timeout(provider.name(), "model list")));
    }

    private List<ProviderModel> withConfigured(Provider provider, List<ProviderModel> listed) {
        List<String> configured = registry.configuredModels(provider.name());
        if (configured.isEmpty()) {
            return listed;
        }
        List<ProviderModel> out = new ArrayList<>(listed);
        for (String id : configured) {
            if (listed.stream().noneMatch(m -> m.id().equals(id))) {
                out.add(new ProviderModel(id, 0, provider.name()));
            }
        }
        return out;
    }
}
