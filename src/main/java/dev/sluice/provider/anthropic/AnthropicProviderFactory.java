package dev.sluice.provider.anthropic;

import dev.sluice.provider.Provider;
import dev.sluice.provider.ProviderFactory;
import dev.sluice.provider.ProviderParts;
import dev.sluice.provider.ProviderSettings;
import jakarta.enterprise.context.ApplicationScoped;

/** Creates providers for the {@code anthropic} protocol (Anthropic's Messages API). */
@ApplicationScoped
public class AnthropicProviderFactory extends ProviderFactory {

    public static final String KIND = "anthropic";

    public AnthropicProviderFactory() {
        super(KIND);
    }

    @Override
    public Provider create(ProviderSettings settings, ProviderParts parts) {
        return new AnthropicProvider(settings, parts, AnthropicOptions.from(settings, parts.catalog()));
    }
}
