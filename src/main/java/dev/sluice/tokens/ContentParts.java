package dev.sluice.tokens;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Tells which message content parts Sluice can bound before the provider reads them: text, inline data (a data
 * URL, base64 audio or file, bounded by its size) and images (a provider counts an image by its resolution, within
 * a fixed ceiling) can be; content a provider fetches itself — a YouTube or Cloud Storage video that Gemini reads,
 * a document by URL or by file id — and part types Sluice does not know cannot.
 */
final class ContentParts {

    private static final Pattern VIDEO = Pattern.compile(".*\\.(mp4|mov|webm|avi|mkv|mpe?g|3gp|3gpp|flv|wmv|m4v)$");
    private static final Pattern AUDIO = Pattern.compile(".*\\.(mp3|wav|ogg|oga|flac|aac|m4a|aiff?|opus|weba)$");
    private static final Pattern DOCUMENT = Pattern.compile(".*\\.(pdf|txt|md|csv|html?|docx?|xlsx?|pptx?|rtf|json|xml)$");
    /** The part types whose size is their JSON's: the content travels inside the request. */
    private static final Map<String, Boolean> INLINE = Map.of("text", true, "refusal", true, "input_audio", true);

    private ContentParts() {
    }

    /** The kind of an image_url part's URL when it is not an image Sluice can bound; null when it is one. */
    static PromptEstimate.Kind remoteKind(String url) {
        String lower = url.toLowerCase(Locale.ROOT);
        if (lower.startsWith("data:")) {
            return null;
        }
        String path = lower;
        int cut = indexOfAny(path, '?', '#');
        if (cut >= 0) {
            path = path.substring(0, cut);
        }
        if (lower.startsWith("https://www.youtube.com/") || lower.startsWith("https://youtube.com/")
                || lower.startsWith("https://youtu.be/") || lower.startsWith("https://m.youtube.com/")
                || VIDEO.matcher(path).matches()) {
            return PromptEstimate.Kind.VIDEO;
        }
        if (AUDIO.matcher(path).matches()) {
            return PromptEstimate.Kind.AUDIO;
        }
        if (DOCUMENT.matcher(path).matches()) {
            return PromptEstimate.Kind.DOCUMENT;
        }
        if (lower.startsWith("http://") || lower.startsWith("https://")) {
            boolean googleFile = lower.startsWith("https://generativelanguage.googleapis.com/");
            return googleFile ? PromptEstimate.Kind.OTHER : null;
        }
        // gs://, s3:// and other schemes: the provider reads whatever is there
        return PromptEstimate.Kind.OTHER;
    }

    /**
     * The kind of a part that is not text, an image or inline data; null when its content is all inside the
     * request (bounded by its size).
     */
    static PromptEstimate.Kind otherKind(String type, JsonNode part) {
        if (INLINE.containsKey(type)) {
            return null;
        }
        if (type.equals("file")) {
            JsonNode file = part.path("file");
            return file.path("file_data").isTextual() ? null : PromptEstimate.Kind.DOCUMENT;
        }
        String t = type.toLowerCase(Locale.ROOT);
        if (t.contains("video")) {
            return PromptEstimate.Kind.VIDEO;
        }
        if (t.contains("audio")) {
            return PromptEstimate.Kind.AUDIO;
        }
        if (t.contains("document") || t.contains("file") || t.contains("pdf")) {
            return PromptEstimate.Kind.DOCUMENT;
        }
        return PromptEstimate.Kind.OTHER;
    }

    private static int indexOfAny(String s, char a, char b) {
        int i = s.indexOf(a);
        int j = s.indexOf(b);
        return i < 0 ? j : j < 0 ? i : Math.min(i, j);
    }
}
