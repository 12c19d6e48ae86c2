package dev.sluice.extract;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Splits {@code class} and {@code id} attributes into names and names into word tokens ("comment-list",
 * "authorBox", "site.footer"), the vocabulary the cleaner judges elements by. Written as plain loops rather than
 * regular expressions because it runs for every element of every page, several times: with
 * {@code String.split} and a look-behind pattern it took a sixth of the extraction time.
 */
final class NameTokens {

    private NameTokens() {
    }

    /** The whitespace-separated names of a {@code class} or {@code id} attribute, in order, none empty. */
    static List<String> names(String attribute) {
        List<String> names = new ArrayList<>(4);
        int n = attribute.length();
        int start = -1;
        for (int i = 0; i < n; i++) {
            if (isSpace(attribute.charAt(i))) {
                if (start >= 0) {
                    names.add(attribute.substring(start, i));
                    start = -1;
                }
            } else if (start < 0) {
                start = i;
            }
        }
        if (start >= 0) {
            names.add(start == 0 ? attribute : attribute.substring(start));
        }
        return names;
    }

    /**
     * The tokens of one name, in their original case: split at runs of {@code - _ : . /} and whitespace and
     * between a lower-case letter and the upper-case letter after it ("authorBox" is "author", "Box"). A name that
     * starts with a separator gives an empty first token, and trailing separators give none, as
     * {@code Pattern.split} does.
     */
    static String[] tokens(String name) {
        int n = name.length();
        List<String> tokens = null;
        int start = 0;
        int i = 0;
        while (i < n) {
            char c = name.charAt(i);
            if (isSeparator(c)) {
                int end = i;
                while (i < n && isSeparator(name.charAt(i))) {
                    i++;
                }
                tokens = add(tokens, name, start, end);
                start = i;
            } else if (i > 0 && c >= 'A' && c <= 'Z' && isLowerAscii(name.charAt(i - 1))) {
                tokens = add(tokens, name, start, i);
                start = i;
                i++;
            } else {
                i++;
            }
        }
        if (tokens == null) {
            return new String[] {name};
        }
        if (start < n) {
            tokens.add(name.substring(start));
        }
        // Pattern.split drops trailing empty strings
        int size = tokens.size();
        while (size > 0 && tokens.get(size - 1).isEmpty()) {
            size--;
        }
        return tokens.subList(0, size).toArray(new String[0]);
    }

    /** Whether any token of any name of a {@code class} or {@code id} attribute, lower-cased, is one of {@code words}. */
    static boolean anyToken(String attribute, Set<String> words) {
        for (String name : names(attribute)) {
            for (String token : tokens(name)) {
                if (words.contains(token.toLowerCase(Locale.ROOT))) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The name lower-cased without its dashes and underscores ("about_the-Author" is "abouttheauthor"). */
    static String joinedLowerCase(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.indexOf('-') < 0 && lower.indexOf('_') < 0) {
            return lower;
        }
        StringBuilder sb = new StringBuilder(lower.length());
        for (int i = 0; i < lower.length(); i++) {
            char c = lower.charAt(i);
            if (c != '-' && c != '_') {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private static List<String> add(List<String> tokens, String name, int start, int end) {
        List<String> out = tokens == null ? new ArrayList<>(4) : tokens;
        out.add(name.substring(start, end));
        return out;
    }

    private static boolean isSeparator(char c) {
        return c == '-' || c == '_' || c == ':' || c == '.' || c == '/' || isSpace(c);
    }

    /** Whitespace as a regular expression's {@code \s} sees it: ASCII only. */
    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\u000B' || c == '\f' || c == '\r';
    }

    private static boolean isLowerAscii(char c) {
        return c >= 'a' && c <= 'z';
    }
}
