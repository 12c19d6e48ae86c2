package dev.sluice.provider.anthropic;

import dev.sluice.catalog.LiveCatalog;
import dev.sluice.provider.Provider;
import dev.sluice.provider.ProviderFactory;
import dev.sluice.provider.ProviderParts;
import dev.sluice.provider.ProviderSettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** Creates providers for the {@code anthropic} protocol (Anthropic's Messages API). */
@ApplicationScoped
public class AnthropicProviderFactory implements ProviderFactory {

    public static final String KIND = "anthropic";

    @Inject
    ProviderParts parts;
    /** Gives the models' output limits; read per request, so a catalog refresh applies without a restart. */
    @Inject
    LiveCatalog catalog;

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public Provider create(ProviderSettings settings) {
        return new AnthropicProvider(settings, parts.http(), parts.mapper(), parts.streamIdleTimeout(),
                AnthropicOptions.from(settings, catalog::current));
    }
}
