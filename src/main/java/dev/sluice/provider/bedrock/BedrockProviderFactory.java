package dev.sluice.provider.bedrock;

import dev.sluice.secrets.Secrets;
import dev.sluice.provider.Provider;
import dev.sluice.provider.ProviderFactory;
import dev.sluice.provider.ProviderParts;
import dev.sluice.provider.ProviderOptions;
import dev.sluice.provider.ProviderSettings;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.util.Optional;
import java.util.function.Function;

/**
 * Creates providers for the {@code bedrock} protocol (Amazon Bedrock's Converse API). A Bedrock provider needs no
 * API key: it is enabled by AWS credentials (see {@link BedrockOptions}) and a region, from which its endpoint is
 * derived when no base URL is configured.
 */
@ApplicationScoped
public class BedrockProviderFactory extends ProviderFactory {

    public static final String KIND = "bedrock";

    static final String ACCESS_KEY_ID = "AWS_ACCESS_KEY_ID";
    static final String SECRET_ACCESS_KEY = "AWS_SECRET_ACCESS_KEY";
    static final String SESSION_TOKEN = "AWS_SESSION_TOKEN";

    public BedrockProviderFactory() {
        super(KIND);
    }

    @Override
    public Provider create(ProviderSettings settings, ProviderParts parts) {
        BedrockOptions options = BedrockOptions.from(settings, parts.catalog());
        return new BedrockProvider(settings, parts, options, auth(settings, options, System::getenv, Clock.systemUTC()));
    }

    /**
     * How the provider authenticates, in the order docs/providers.md gives: a Bedrock API key; static keys from the
     * options; the standard {@code AWS_ACCESS_KEY_ID} / {@code AWS_SECRET_ACCESS_KEY} / {@code AWS_SESSION_TOKEN}
     * variables of {@code env}; AWS's default credential chain.
     *
     * @param env the process environment ({@code System::getenv}), a map's {@code get} in tests
     */
    static BedrockAuth auth(ProviderSettings settings, BedrockOptions options, Function<String, String> env,
                            Clock clock) {
        if (settings.apiKey().isPresent() && !"default-chain".equals(options.credentials())) {
            return BedrockAuth.bearer(settings.apiKey().get());
        }
        if (!"default-chain".equals(options.credentials())) {
            Optional<StaticKeys> keys = staticKeys(options.accessKeyId(), options.secretAccessKey(),
                    options.sessionToken(), env);
            if (keys.isPresent()) {
                StaticKeys k = keys.get();
                Secrets.register(k.secret());
                k.token().ifPresent(Secrets::register);
                return BedrockAuth.sigV4(BedrockAuth.fixed(k.id(), k.secret(), k.token()), options.region(), clock);
            }
            if ("static".equals(options.credentials())) {
                throw new IllegalStateException("sluice.providers." + settings.name() + ".options.credentials=static "
                        + "needs access-key-id and secret-access-key (or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)");
            }
        }
        return BedrockAuth.sigV4(BedrockAuth.defaultChain(), options.region(), clock);
    }

    private record StaticKeys(String id, String secret, Optional<String> token) {
        @Override
        public String toString() {
            return "StaticKeys[" + id + "]";
        }
    }

    /** Keys from the provider's options, else from the standard environment variables. */
    private static Optional<StaticKeys> staticKeys(Optional<String> id, Optional<String> secret,
                                                   Optional<String> token, Function<String, String> env) {
        if (id.isPresent() && secret.isPresent()) {
            return Optional.of(new StaticKeys(id.get(), secret.get(), token));
        }
        String envId = variable(env, ACCESS_KEY_ID);
        String envSecret = variable(env, SECRET_ACCESS_KEY);
        if (envId != null && envSecret != null) {
            return Optional.of(new StaticKeys(envId, envSecret, Optional.ofNullable(variable(env, SESSION_TOKEN))));
        }
        return Optional.empty();
    }

    private static String variable(Function<String, String> env, String name) {
        String value = env.apply(name);
        return value == null || value.isBlank() ? null : value.strip();
    }

    private static String env(String name) {
        return variable(System::getenv, name);
    }

    @Override
    public Optional<String> defaultBaseUrl(String provider, ProviderOptions options) {
        return BedrockOptions.region(options, null).map(BedrockOptions::runtimeUrl);
    }

    @Override
    public boolean hasOtherCredentials(String provider, ProviderOptions options) {
        String mode = options.string("credentials", "auto");
        if ("default-chain".equalsIgnoreCase(mode)) {
            return true;
        }
        if (options.string("access-key-id").isPresent() && options.string("secret-access-key").isPresent()) {
            return true;
        }
        if (env(ACCESS_KEY_ID) != null && env(SECRET_ACCESS_KEY) != null) {
            return true;
        }
        // the environment of a workload with an AWS identity: ECS task roles, EKS Pod Identity, a named profile
        return env("AWS_CONTAINER_CREDENTIALS_FULL_URI") != null || env("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") != null
                || env("AWS_PROFILE") != null;
    }

    @Override
    public String missingCredentials(String provider) {
        String upper = provider.toUpperCase(java.util.Locale.ROOT).replace('-', '_');
        return "it has no AWS credentials (set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, a Bedrock API key in "
                + "AWS_BEARER_TOKEN_BEDROCK or SLUICE_PROVIDERS_" + upper + "_API_KEY, or SLUICE_PROVIDERS_" + upper
                + "_OPTIONS_CREDENTIALS=default-chain)";
    }

    @Override
    public String baseUrlVariable(String provider) {
        return "AWS_REGION";
    }
}
