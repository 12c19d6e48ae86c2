package dev.sluice.provider;

import dev.sluice.api.ApiException;
import dev.sluice.extract.ExtractService;
import dev.sluice.extract.fetch.FetchException;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Duration;
import java.util.Set;

/**
 * Fetches the http(s) images a chat request refers to, for adapters whose provider takes image bytes rather than
 * URLs (Gemini for ordinary web URLs, Bedrock always). The fetch goes through the web extract fetcher, under the
 * same rules: address guard against private and metadata addresses, every redirect hop checked, a deadline and a
 * size cap, and only {@code image/*} answers accepted. A refused or failed fetch is a 400 naming the request
 * field, so a chat request can never make Sluice reach an address the extract API would refuse.
 */
@ApplicationScoped
public class RemoteImages {

    private static final Set<String> IMAGES = Set.of("image/*");

    /** A fetched image: its media type (as the server declared it) and its bytes. */
    public record Image(String mediaType, byte[] bytes) {
        @Override
        public String toString() {
            return "Image[" + mediaType + ", " + bytes.length + " bytes]";
        }
    }

    private final ExtractService extract;

    @Inject
    public RemoteImages(ExtractService extract) {
        this.extract = extract;
    }

    /**
     * @param provider the provider the image is for, named in messages
     * @param param    the request field holding the URL, e.g. {@code messages[1].content[0].image_url.url}
     * @param maxBytes the provider's limit for one image
     */
    public Uni<Image> fetch(String provider, String url, String param, long maxBytes, Duration timeout) {
        return extract.fetcher().fetch(url, timeout, IMAGES, maxBytes)
                // bytes are base64-encoded next: off the event loop
                .emitOn(Infrastructure.getDefaultWorkerPool())
                .map(page -> new Image(page.contentType(), page.body()))
                .onFailure(FetchException.class).transform(f -> {
                    FetchException e = (FetchException) f;
                    String why = switch (e.code()) {
                        case FetchException.UNSUPPORTED_CONTENT_TYPE -> "the URL did not answer with an image";
                        case FetchException.TOO_LARGE -> "the image is larger than the " + maxBytes + "-byte limit";
                        default -> e.getMessage();
                    };
                    return ApiException.invalidRequest("Invalid '" + param + "': the image could not be fetched for "
                            + "provider '" + provider + "': " + why, param, "image_" + e.code());
                });
    }
}
