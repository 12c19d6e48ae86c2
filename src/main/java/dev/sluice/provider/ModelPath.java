package dev.sluice.provider;

import dev.sluice.openai.ApiException;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * A model name (or Azure deployment, Bedrock model id) placed in an upstream URL's path. Client-chosen names must
 * never shape the URL: every character outside RFC 3986's unreserved set is percent-encoded, so {@code /},
 * {@code ?}, {@code #}, {@code :} and {@code %} cannot add path segments, a query or another endpoint; the dot
 * segments {@code .} and {@code ..} (which servers resolve before routing, encoded or not) and names with control
 * characters or characters no URL may carry (a space, {@code {}, a backslash...) are refused with 400 naming
 * {@code model}. Written by hand on {@link URLEncoder} because the JDK has
 * no path-segment encoder (URLEncoder encodes forms: a space becomes {@code +}, which a path keeps literally).
 */
public final class ModelPath {

    /** Characters RFC 3986 allows nowhere in a URI, reserved or not. */
    private static final String NOT_IN_URLS = " \"<>\\^`{|}";

    private ModelPath() {
    }

    /** The name as one encoded path segment. */
    public static String segment(String name) {
        check(name);
        if (name.equals(".") || name.equals("..")) {
            throw refused(name, "a dot segment cannot name a model");
        }
        for (int i = 0; i < name.length(); i++) {
            if (NOT_IN_URLS.indexOf(name.charAt(i)) >= 0) {
                // no upstream names a model so; a URL cannot carry them unencoded either (RFC 3986)
                throw refused(name, "a model name cannot contain '" + name.charAt(i) + "'");
            }
        }
        return encode(name);
    }

    /**
     * A name the operator configured (an Azure deployment mapped from a model), percent-encoded as one path
     * segment without the refusals meant for client-chosen names: it is the operator's to choose.
     */
    public static String encode(String name) {
        return URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** Refuses a name with a control character (NUL, CR, LF, DEL...) or none at all. */
    public static void check(String name) {
        if (name == null || name.isEmpty()) {
            throw refused("", "a model name is needed");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (Character.isISOControl(c)) {
                throw refused(name, "a model name cannot contain a control character (U+"
                        + String.format("%04X", (int) c) + ")");
            }
        }
    }

    private static ApiException refused(String name, String why) {
        return ApiException.invalidRequest("Invalid 'model' '" + printable(name) + "': " + why, "model",
                "invalid_model");
    }

    /** The name for a message: control characters shown as {@code \\uXXXX}, at most 200 characters. */
    static String printable(String name) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < name.length() && out.length() < 200; i++) {
            char c = name.charAt(i);
            out.append(Character.isISOControl(c) ? String.format("\\u%04X", (int) c) : String.valueOf(c));
        }
        return out.toString();
    }
}
