package dev.sluice.provider;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.openai.ApiException;
import dev.sluice.config.SluiceConfig;
import dev.sluice.fetch.PageFetcher;
import dev.sluice.fetch.FetchException;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.Function;

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

    /**
     * What one request's images may cost: how many URLs are fetched, how many bytes they may hold together, and
     * how many are fetched at once.
     */
    public record Limits(int maxUrls, long maxTotalBytes, int concurrency) {
        /** The defaults of {@code sluice.images.*}. */
        public static final Limits DEFAULTS = new Limits(20, 20L * 1024 * 1024, 4);
    }

    private final PageFetcher pages;
    private final Limits limits;

    @Inject
    public RemoteImages(PageFetcher fetcher, SluiceConfig config) {
        this.pages = fetcher;
        this.limits = new Limits(config.images().maxUrls(), config.images().maxTotalBytes().asLongValue(),
                config.images().concurrency());
    }

    /**
     * An image URL a request mapper met and left for later: the upstream JSON object its bytes go into, the URL, and
     * the request field that held it (named in any 400).
     */
    public record Pending(ObjectNode target, String url, String param) {
    }

    /** Fetches the images of a request for one provider: one image, and the limits the whole request keeps to. */
    @FunctionalInterface
    public interface Fetcher {
        /** The image's media type and bytes; fails with an {@link ApiException} naming {@code param}. */
        Uni<Image> fetch(String url, String param);

        /** How many images one request may fetch, hold and fetch at once. */
        default Limits limits() {
            return Limits.DEFAULTS;
        }

        /**
         * Translates a request with {@code build}, which leaves the image URLs it meets as pending, then completes
         * once every one has been fetched (at once when there is none) and put in its place by {@code use}; the
         * same limits as {@link #inline}.
         */
        default <T> Uni<T> inlineAll(Function<List<Pending>, T> build, BiConsumer<Pending, Image> use) {
            List<Pending> pending = new ArrayList<>();
            T translated = build.apply(pending);
            if (pending.isEmpty()) {
                return Uni.createFrom().item(translated);
            }
            return inline(pending, Pending::param, p -> fetch(p.url(), p.param()), use, limits())
                    .replaceWith(translated);
        }
    }

    /** The fetcher of a provider whose images may be {@code maxBytes} each, fetched within {@code timeout}. */
    public Fetcher fetcher(String provider, long maxBytes, Duration timeout) {
        return new Fetcher() {
            @Override
            public Uni<Image> fetch(String url, String param) {
                return RemoteImages.this.fetch(provider, url, param, maxBytes, timeout);
            }

            @Override
            public Limits limits() {
                return limits;
            }
        };
    }

    /** The configured limits per request. */
    public Limits limits() {
        return limits;
    }

    /**
     * Fetches every pending image of one request within {@code limits}: more URLs than allowed is a 400 naming the
     * first one over; at most {@code concurrency} fetches run at once; once the images fetched so far hold more
     * than {@code maxTotalBytes} together, the request fails with a 400 naming the image that crossed the line
     * (so a request holds at most that plus the fetches in flight, each capped by the provider's image limit).
     *
     * @param fetch fetches one pending image
     * @param use   puts a fetched image into the upstream request (called once per image, in completion order)
     */
    public static <P> Uni<Void> inline(List<P> pending, Function<P, String> param, Function<P, Uni<Image>> fetch,
                                       BiConsumer<P, Image> use, Limits limits) {
        if (pending.size() > limits.maxUrls()) {
            String over = param.apply(pending.get(limits.maxUrls()));
            return Uni.createFrom().failure(ApiException.invalidRequest("Invalid '" + over + "': at most "
                    + limits.maxUrls() + " image URLs are fetched per request (this one has " + pending.size() + ")",
                    over, "too_many_images"));
        }
        AtomicLong held = new AtomicLong();
        return Multi.createFrom().iterable(pending)
                .onItem().transformToUni(p -> fetch.apply(p).invoke(image -> {
                    if (held.addAndGet(image.bytes().length) > limits.maxTotalBytes()) {
                        throw ApiException.invalidRequest("Invalid '" + param.apply(p) + "': the images of this "
                                + "request total more than " + limits.maxTotalBytes() + " bytes", param.apply(p),
                                "images_too_large");
                    }
                    use.accept(p, image);
                })).merge(limits.concurrency())
                .collect().last().replaceWithVoid();
    }

    /**
     * @param provider the provider the image is for, named in messages
     * @param param    the request field holding the URL, e.g. {@code messages[1].content[0].image_url.url}
     * @param maxBytes the provider's limit for one image
     */
    public Uni<Image> fetch(String provider, String url, String param, long maxBytes, Duration timeout) {
        return pages.fetch(url, timeout, IMAGES, maxBytes)
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
