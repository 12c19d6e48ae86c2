package dev.sluice.extract;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The hand-written splitters give what the regular expressions they replace gave, on names as pages write them
 * and on the edge cases of {@code Pattern.split} (leading and trailing separators, a name that is all separators).
 */
class NameTokensTest {

    private static final Pattern TOKEN_SPLIT = Pattern.compile("[-_\\s:./]+|(?<=[a-z])(?=[A-Z])");
    private static final Pattern WHITESPACE = Pattern.compile("[\\s\\u00a0]+");

    private static final List<String> NAMES = List.of("", "a", "comment-list", "commentList", "authorBox",
            "site.footer", "md:block", "w-1/2", "-lead", "trail-", "---", "__a__b__", "aBcD", "ABc", "aB", "Ab",
            "already_lower", "x:y.z/w", "fooBAR-baz", "é-Ère", "a\tb", "über-Größe", "post_signature",
            "about_the-Author", "İnfo-box");

    @Test
    void tokensSplitAsThePatternDid() {
        for (String name : NAMES) {
            assertArrayEquals(TOKEN_SPLIT.split(name), NameTokens.tokens(name), () -> "tokens of '" + name + "'");
        }
    }

    @Test
    void namesAreTheWhitespaceSeparatedWordsWithoutEmptyOnes() {
        assertEquals(List.of("a", "b-c", "dEf"), NameTokens.names("  a \t b-c\ndEf  "));
        assertEquals(List.of(), NameTokens.names(""));
        assertEquals(List.of(), NameTokens.names("   "));
        for (String attr : List.of("a b", " lead", "trail ", "one", "x  y\tz")) {
            List<String> expected = Arrays.stream(attr.split("\\s+")).filter(s -> !s.isEmpty()).toList();
            assertEquals(expected, NameTokens.names(attr), () -> "names of '" + attr + "'");
        }
    }

    @Test
    void joinedLowerCaseDropsDashesAndUnderscores() {
        for (String name : NAMES) {
            assertEquals(name.toLowerCase(Locale.ROOT).replaceAll("[-_]", ""), NameTokens.joinedLowerCase(name));
        }
    }

    @Test
    void collapseTurnsEveryRunOfWhitespaceIntoOneSpace() {
        for (String text : List.of("", " ", "plain text", "two  spaces", "tab\there", "\n\nlead", "trail \u00a0 ",
                "no\u00a0break", "a \u000B\f\r b", "already single spaces only", "ünïcödé  text")) {
            assertEquals(WHITESPACE.matcher(text).replaceAll(" "), BlockRenderer.collapse(text),
                    () -> "collapse of '" + text + "'");
        }
    }
}
