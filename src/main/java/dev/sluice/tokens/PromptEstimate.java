package dev.sluice.tokens;

import java.util.List;

/**
 * A request's prompt tokens as Sluice can count them, plus the parts whose size it cannot know before the
 * provider reads them (a remote video Gemini fetches itself, a document by URL or file id, a part type Sluice
 * does not know). {@link #tokens()} counts each such part at a nominal figure ({@link Unbounded#counted()}); a
 * reservation that must cover what the provider will count replaces it by a ceiling per {@link Kind}.
 */
public record PromptEstimate(long tokens, List<Unbounded> unbounded) {

    /** What kind of content an unbounded part is. */
    public enum Kind {
        VIDEO, AUDIO, DOCUMENT,
        /** A part type Sluice does not know: the provider may read anything it refers to. */
        OTHER
    }

    /**
     * @param param   where the part sits, e.g. {@code messages[2].content[1]}
     * @param counted the tokens {@link #tokens()} counts for it
     */
    public record Unbounded(String param, Kind kind, long counted) {
    }
}
