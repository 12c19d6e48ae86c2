package dev.sluice.provider;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.openai.ChatBody;
import dev.sluice.openai.ContentPart;
import dev.sluice.openai.DataUrl;
import dev.sluice.provider.RemoteImages.Fetcher;
import dev.sluice.provider.RemoteImages.Pending;
import io.smallrye.mutiny.Uni;

import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * The base of a request mapper whose upstream takes an image as its bytes (or as a reference of its own kind, such
 * as a bucket URI), not as a web URL: a data URL is written in place, a web URL is fetched once the body is built
 * and written in place the same way. Each adapter says how an image's bytes are written and which references its
 * upstream reads itself.
 *
 * @param <T> what the mapper builds
 */
public abstract class ImageInliningMapper<T> extends ChatRequestMapper {

    private final Fetcher images;

    protected ImageInliningMapper(String provider, String upstream, ParameterPolicy policy, ObjectMapper mapper,
                                  Fetcher images) {
        super(provider, upstream, policy, mapper);
        this.images = images;
    }

    /** The upstream request; completes once every image URL to inline has been fetched. */
    public Uni<T> translate(ChatBody chat, String model) {
        return images.inlineAll(pending -> build(chat, model, pending), (p, image) ->
                inlineImage(p.target(), image.mediaType(), Base64.getEncoder().encodeToString(image.bytes()),
                        p.param()));
    }

    /** Builds the request, leaving the image URLs to fetch in {@code pending}. */
    protected abstract T build(ChatBody chat, String model, List<Pending> pending);

    /** Writes an image's bytes (base64) into its place in the upstream request; fails for a type it cannot take. */
    protected abstract void inlineImage(ObjectNode target, String mediaType, String base64, String param);

    /**
     * Writes a reference to an image the upstream reads itself and returns true, fails for a URL it cannot take, or
     * returns false for a web URL to fetch and inline.
     */
    protected abstract boolean referenceImage(String url, String lowerUrl, ObjectNode target, String param);

    /** An image part: inlined now (data URL), referenced, or left pending to be fetched. */
    protected final void image(ContentPart.Image image, ObjectNode out, List<Pending> pending) {
        String url = image.url();
        String param = image.param() + ".image_url.url";
        if (image.inline()) {
            DataUrl data = imageData(url, param);
            inlineImage(out, data.mediaType(), data.base64(), param);
        } else if (!referenceImage(url, url.toLowerCase(Locale.ROOT), out, param)) {
            pending.add(new Pending(out, url, param));
        }
    }
}
