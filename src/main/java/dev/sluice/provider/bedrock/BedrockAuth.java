package dev.sluice.provider.bedrock;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How Sluice authenticates to Bedrock: a Bedrock API key sent as a bearer token, or AWS Signature Version 4
 * computed by AWS's own signer ({@code AwsV4HttpSigner} of the SDK's {@code http-auth-aws} module). Only signing
 * is borrowed from the SDK: the request itself goes through Sluice's non-blocking upstream client.
 *
 * <p>Credentials come from the provider's options or the standard {@code AWS_*} environment variables (static), or
 * from AWS's default credential chain (profiles, container credentials, instance profile). The chain may do
 * blocking I/O when it refreshes, so it is asked on a worker thread and its answer reused until shortly before it
 * expires; the event loop never waits on it. Secrets never reach a log line or a message.
 */
abstract class BedrockAuth {

    /** Bodies larger than this are hashed for signing on a worker thread, not on the event loop. */
    static final int INLINE_SIGNING_LIMIT = 256 * 1024;

    /** The headers that authenticate one request, added to {@code headers}. */
    abstract Uni<Void> authorize(String method, String url, Map<String, String> headers, byte[] body);

    /** A Bedrock API key ({@code AWS_BEARER_TOKEN_BEDROCK}): {@code Authorization: Bearer <key>}. */
    static BedrockAuth bearer(String key) {
        return new BedrockAuth() {
            @Override
            Uni<Void> authorize(String method, String url, Map<String, String> headers, byte[] body) {
                headers.put("authorization", "Bearer " + key);
                return Uni.createFrom().voidItem();
            }
        };
    }

    /** SigV4 with credentials from {@code source}. */
    static BedrockAuth sigV4(CredentialSource source, String region, Clock clock) {
        return new SigV4(source, region, clock);
    }

    /** Where AWS credentials come from. */
    interface CredentialSource {
        Uni<AwsCredentialsIdentity> credentials();
    }

    /** Fixed keys (options or environment variables). */
    static CredentialSource fixed(String accessKeyId, String secretAccessKey, Optional<String> sessionToken) {
        AwsCredentialsIdentity identity = sessionToken.isPresent()
                ? AwsSessionCredentialsIdentity.create(accessKeyId, secretAccessKey, sessionToken.get())
                : AwsCredentialsIdentity.create(accessKeyId, secretAccessKey);
        Uni<AwsCredentialsIdentity> item = Uni.createFrom().item(identity);
        return () -> item;
    }

    /** AWS's default credential chain, asked on a worker thread and cached until a minute before expiry. */
    static CredentialSource defaultChain() {
        return new ChainSource(DefaultCredentialsProvider.builder().build());
    }

    private static final class ChainSource implements CredentialSource {
        private static final Duration REFRESH_BEFORE = Duration.ofMinutes(1);
        private final AwsCredentialsProvider provider;
        private volatile AwsCredentialsIdentity current;

        ChainSource(AwsCredentialsProvider provider) {
            this.provider = provider;
        }

        @Override
        public Uni<AwsCredentialsIdentity> credentials() {
            AwsCredentialsIdentity c = current;
            if (c != null && c.expirationTime().map(t -> Instant.now().plus(REFRESH_BEFORE).isBefore(t)).orElse(true)) {
                return Uni.createFrom().item(c);
            }
            return Uni.createFrom().item(() -> {
                        AwsCredentialsIdentity fresh = provider.resolveCredentials();
                        current = fresh;
                        return fresh;
                    }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                    .onFailure().transform(f -> {
                        // the chain's messages name where it looked, never a secret
                        Log.warnf("AWS credentials could not be resolved: %s", f.getMessage());
                        return new IllegalStateException("no AWS credentials");
                    });
        }
    }

    private static final class SigV4 extends BedrockAuth {
        private static final AwsV4HttpSigner SIGNER = AwsV4HttpSigner.create();
        private static final List<String> ADDED = List.of("Authorization", "X-Amz-Date", "X-Amz-Security-Token",
                "x-amz-content-sha256");

        private final CredentialSource source;
        private final String region;
        private final Clock clock;

        SigV4(CredentialSource source, String region, Clock clock) {
            this.source = source;
            this.region = region;
            this.clock = clock;
        }

        @Override
        Uni<Void> authorize(String method, String url, Map<String, String> headers, byte[] body) {
            Uni<AwsCredentialsIdentity> credentials = source.credentials();
            if (body != null && body.length > INLINE_SIGNING_LIMIT) {
                credentials = credentials.emitOn(Infrastructure.getDefaultWorkerPool());
            }
            return credentials.invoke(identity -> headers.putAll(sign(identity, method, url, headers, body)))
                    .replaceWithVoid();
        }

        /** The headers AWS's signer adds: Authorization, X-Amz-Date and, for session credentials, the token. */
        Map<String, String> sign(AwsCredentialsIdentity identity, String method, String url,
                                 Map<String, String> headers, byte[] body) {
            SdkHttpRequest.Builder request = SdkHttpRequest.builder()
                    .method(SdkHttpMethod.fromValue(method))
                    .uri(URI.create(url));
            String type = headers.get("content-type");
            if (type != null) {
                request.putHeader("content-type", type);
            }
            SignedRequest signed = SIGNER.sign(r -> r.identity(identity)
                    .request(request.build())
                    .payload(body == null ? null : ContentStreamProvider.fromByteArrayUnsafe(body))
                    .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, BedrockWire.SIGNING_NAME)
                    .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                    .putProperty(HttpSigner.SIGNING_CLOCK, clock));
            Map<String, String> out = new java.util.HashMap<>(4);
            for (String name : ADDED) {
                signed.request().firstMatchingHeader(name).ifPresent(v -> out.put(name.toLowerCase(java.util.Locale.ROOT), v));
            }
            return out;
        }
    }
}
