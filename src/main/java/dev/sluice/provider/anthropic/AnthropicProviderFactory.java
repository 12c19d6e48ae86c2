package dev.sluice.provider.anthropic;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.catalog.LiveCatalog;
import dev.sluice.config.SluiceConfig;
import dev.sluice.provider.Provider;
import dev.sluice.provider.ProviderFactory;
import dev.sluice.provider.ProviderSettings;
import dev.sluice.provider.UpstreamHttp;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** Creates providers for the {@code anthropic} protocol (Anthropic's Messages API). */
@ApplicationScoped
public class AnthropicProviderFactory implements ProviderFactory {

    public static final String KIND = "anthropic";

    @Inject
    UpstreamHttp http;
    @Inject
    ObjectMapper mapper;
    @Inject
    SluiceConfig config;
    /** Gives the models' output limits; read per request, so a catalog refresh applies without a restart. */
    @Inject
    LiveCatalog catalog;

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public Provider create(ProviderSettings settings) {
        return new AnthropicProvider(settings, http, mapper, config.upstream().streamIdleTimeout(),
                AnthropicOptions.from(settings, catalog::current));
    }
}
