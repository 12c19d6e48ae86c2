package dev.sluice.provider;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Images a model generated, in the form OpenAI-compatible gateways return them from chat completions (OpenRouter,
 * Vercel's AI Gateway): {@code message.images} — and, streamed, a delta's {@code images} — is a list of
 * {@code {"type": "image_url", "image_url": {"url": "data:<media type>;base64,<bytes>"}}}, the same shape as an
 * image content part, so a client can send the image back in a later turn as it is.
 */
public final class MessageImages {

    public static final String FIELD = "images";

    private MessageImages() {
    }

    /** An image entry for base64 data of the given media type. */
    public static ObjectNode image(JsonNodeFactory json, String mediaType, String base64) {
        ObjectNode image = json.objectNode();
        image.put("type", "image_url");
        image.putObject("image_url").put("url", "data:" + mediaType + ";base64," + base64);
        return image;
    }
}
