package dev.sluice.rag;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Okapi BM25 (k1 = 1.2, b = 0.75) over a small in-memory set of passages — the chunks of the pages of one
 * request. A search library would be far heavier than this for a few hundred passages and is awkward in a native
 * image; the formula is standard and tested here.
 *
 * <p>Terms: Unicode letters and digits, lower-cased, accents folded, English stop words dropped, and a light
 * suffix stripping (plural and -ing/-ed forms) so that "tides" matches "tide".
 */
final class Bm25 {

    private static final double K1 = 1.2;
    private static final double B = 0.75;
    private static final Set<String> STOP_WORDS = Set.of(
            "a", "an", "and", "are", "as", "at", "be", "been", "but", "by", "can", "could", "did", "do", "does", "for",
            "from", "had", "has", "have", "how", "i", "if", "in", "into", "is", "it", "its", "me", "my", "no", "not",
            "of", "on", "or", "our", "so", "than", "that", "the", "their", "them", "then", "there", "these", "they",
            "this", "to", "was", "we", "were", "what", "when", "where", "which", "who", "whom", "why", "will", "with",
            "would", "you", "your", "about", "tell", "please", "according");

    private Bm25() {
    }

    /** One score per document, in order; higher is more relevant; 0 when no query term occurs. */
    static double[] scores(List<String> documents, String query) {
        List<String> queryTerms = new ArrayList<>(new HashSet<>(terms(query)));
        double[] scores = new double[documents.size()];
        if (queryTerms.isEmpty() || documents.isEmpty()) {
            return scores;
        }
        List<Map<String, Integer>> frequencies = new ArrayList<>(documents.size());
        int[] lengths = new int[documents.size()];
        Map<String, Integer> documentFrequency = new HashMap<>();
        long totalLength = 0;
        for (int i = 0; i < documents.size(); i++) {
            List<String> terms = terms(documents.get(i));
            lengths[i] = terms.size();
            totalLength += terms.size();
            Map<String, Integer> tf = new HashMap<>();
            for (String t : terms) {
                tf.merge(t, 1, Integer::sum);
            }
            for (String t : tf.keySet()) {
                documentFrequency.merge(t, 1, Integer::sum);
            }
            frequencies.add(tf);
        }
        int n = documents.size();
        double averageLength = Math.max(1.0, (double) totalLength / n);
        for (String term : queryTerms) {
            int df = documentFrequency.getOrDefault(term, 0);
            if (df == 0) {
                continue;
            }
            double idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
            for (int i = 0; i < n; i++) {
                int tf = frequencies.get(i).getOrDefault(term, 0);
                if (tf > 0) {
                    scores[i] += idf * tf * (K1 + 1) / (tf + K1 * (1 - B + B * lengths[i] / averageLength));
                }
            }
        }
        return scores;
    }

    static List<String> terms(String text) {
        List<String> out = new ArrayList<>();
        if (text == null) {
            return out;
        }
        String folded = Normalizer.normalize(text, Normalizer.Form.NFKD).replaceAll("\\p{M}+", "")
                .toLowerCase(Locale.ROOT);
        StringBuilder term = new StringBuilder();
        for (int i = 0; i <= folded.length(); i++) {
            char c = i < folded.length() ? folded.charAt(i) : ' ';
            if (Character.isLetterOrDigit(c)) {
                term.append(c);
            } else if (term.length() > 0) {
                String t = term.toString();
                term.setLength(0);
                if (t.length() > 1 && !STOP_WORDS.contains(t)) {
                    out.add(stem(t));
                }
            }
        }
        return out;
    }

    /** A deliberately light English suffix stripper: enough to match plural and verb forms. */
    static String stem(String t) {
        if (t.length() <= 3 || !t.chars().allMatch(c -> c < 128 && Character.isLetter(c))) {
            return t;
        }
        if (t.endsWith("ies") && t.length() > 4) {
            return t.substring(0, t.length() - 3) + "y";
        }
        if (t.endsWith("sses")) {
            return t.substring(0, t.length() - 2);
        }
        if (t.endsWith("ing") && t.length() > 5) {
            return t.substring(0, t.length() - 3);
        }
        if (t.endsWith("ed") && t.length() > 4) {
            return t.substring(0, t.length() - 2);
        }
        if (t.endsWith("es") && t.length() > 4 && "sxz".indexOf(t.charAt(t.length() - 3)) >= 0) {
            return t.substring(0, t.length() - 2);
        }
        if (t.endsWith("s") && !t.endsWith("ss") && !t.endsWith("us") && !t.endsWith("is")) {
            return t.substring(0, t.length() - 1);
        }
        return t;
    }
}
