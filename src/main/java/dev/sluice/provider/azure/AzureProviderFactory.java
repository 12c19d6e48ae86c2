package dev.sluice.provider.azure;

import dev.sluice.provider.Provider;
import dev.sluice.provider.ProviderFactory;
import dev.sluice.provider.ProviderParts;
import dev.sluice.provider.ProviderSettings;
import dev.sluice.provider.openai.OpenAiProvider;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** Creates providers for the {@code azure} protocol (Azure OpenAI, deployment or v1 endpoints). */
@ApplicationScoped
public class AzureProviderFactory implements ProviderFactory {

    public static final String KIND = "azure";
    /** The built-in provider name whose conventional variables are Azure's own. */
    static final String PRESET = "azure";

    @Inject
    ProviderParts parts;

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public Provider create(ProviderSettings settings) {
        AzureOptions options = AzureOptions.from(settings);
        OpenAiProvider openAi = new OpenAiProvider(settings, parts.http(), parts.mapper(), parts.streamIdleTimeout(),
                new AzureDialect(settings, options));
        return new AzureProvider(openAi, options);
    }

    @Override
    public String apiKeyVariable(String provider) {
        return PRESET.equals(provider) ? "AZURE_OPENAI_API_KEY" : ProviderFactory.super.apiKeyVariable(provider);
    }

    @Override
    public String baseUrlVariable(String provider) {
        return PRESET.equals(provider) ? "AZURE_OPENAI_ENDPOINT" : ProviderFactory.super.baseUrlVariable(provider);
    }
}
