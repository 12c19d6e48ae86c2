package dev.sluice.provider.azure;

import dev.sluice.provider.Provider;
import dev.sluice.provider.ProviderFactory;
import dev.sluice.provider.ProviderParts;
import dev.sluice.provider.ProviderSettings;
import dev.sluice.provider.openai.OpenAiProvider;
import jakarta.enterprise.context.ApplicationScoped;

/** Creates providers for the {@code azure} protocol (Azure OpenAI, deployment or v1 endpoints). */
@ApplicationScoped
public class AzureProviderFactory extends ProviderFactory {

    public static final String KIND = "azure";
    /** The built-in provider name whose conventional variables are Azure's own. */
    static final String PRESET = "azure";

    public AzureProviderFactory() {
        super(KIND);
    }

    @Override
    public Provider create(ProviderSettings settings, ProviderParts parts) {
        AzureOptions options = AzureOptions.from(settings);
        return new AzureProvider(new OpenAiProvider(settings, parts, new AzureDialect(settings, options)), options);
    }

    @Override
    public String apiKeyVariable(String provider) {
        return PRESET.equals(provider) ? "AZURE_OPENAI_API_KEY" : super.apiKeyVariable(provider);
    }

    @Override
    public String baseUrlVariable(String provider) {
        return PRESET.equals(provider) ? "AZURE_OPENAI_ENDPOINT" : super.baseUrlVariable(provider);
    }
}
