package dev.sluice.rag;

import com.fasterxml.jackson.databind.node.ArrayNode;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Chunking, ranking, selection and citations, each on its own. */
class RetrievalPartsTest {

    static String filler(String topic, int sentences) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < sentences; i++) {
            s.append("This sentence number ").append(i).append(" talks about ").append(topic)
                    .append(" in general terms without much detail. ");
        }
        return s.toString().strip();
    }

    @Test
    void chunksFollowSectionsKeepTheirHeadingPathAndStayNearTheTarget() {
        String md = "# Guide\n\nIntro paragraph.\n\n## Install\n\n" + filler("installation", 40) + "\n\n"
                + "```bash\n./install.sh\n./configure\n```\n\n### On Linux\n\nUse the package manager.\n\n## Usage\n\nRun it.";
        List<Chunk> chunks = new Chunker(120, 30).chunk(3, md);
        assertEquals("Guide", chunks.get(0).headingPath());
        assertEquals("Intro paragraph.", chunks.get(0).text());
        assertTrue(chunks.stream().anyMatch(c -> c.headingPath().equals("Guide > Install > On Linux")
                && c.text().equals("Use the package manager.")));
        assertTrue(chunks.stream().anyMatch(c -> c.headingPath().equals("Guide > Usage") && c.text().equals("Run it.")));
        List<Chunk> install = chunks.stream().filter(c -> c.headingPath().equals("Guide > Install")).toList();
        assertTrue(install.size() >= 4, "a long section is split");
        for (Chunk c : install) {
            assertTrue(Chunker.estimateTokens(c.text()) <= 120 + 30, c.text().length() + " chars");
            assertEquals(3, c.page());
        }
        assertTrue(install.stream().anyMatch(c -> c.text().contains("```bash\n./install.sh\n./configure\n```")),
                "a code block stays whole");
        // overlap: each following chunk starts with the end of the previous one
        String firstTail = install.get(0).text().substring(install.get(0).text().lastIndexOf("This sentence"));
        assertTrue(install.get(1).text().startsWith(firstTail), "consecutive chunks overlap");
        for (int i = 0; i < chunks.size(); i++) {
            assertEquals(i, chunks.get(i).ordinal());
        }
    }

    @Test
    void bm25PrefersThePassageWithTheRareQueryTermsAndMatchesWordForms() {
        double[] s = Bm25.scores(List.of(
                "The weather was nice and the weather was warm.",
                "Spring tides happen when the Sun and the Moon line up.",
                "Tides and weather are both discussed in this general overview of the coast."),
                "When do spring tides happen?");
        assertTrue(s[1] > s[2] && s[2] > s[0], java.util.Arrays.toString(s));
        assertEquals(0.0, s[0]);
        assertEquals("tide", Bm25.stem("tides"));
        assertEquals("happen", Bm25.stem("happening"));
        assertEquals(List.of("cafe", "menu"), Bm25.terms("The Café's menu!").subList(0, 2));
    }

    private static String words(String word, int times) {
        return (word + " ").repeat(times).strip();
    }

    @Test
    void bm25ScoresASingleMatchExactlyByTheFormula() {
        // N = 2, df = 1: idf = ln(1 + (2 - 1 + 0.5) / (1 + 0.5)) = ln 2; tf = 1 and |d| = avgdl: tf part = 1
        double[] s = Bm25.scores(List.of("perigee", "apogee"), "perigee");
        assertEquals(Math.log(2), s[0], 1e-9);
        assertEquals(0.0, s[1]);
    }

    @Test
    void bm25WeighsRareTermsAboveCommonOnes() {
        List<String> docs = List.of(
                "tide gauge station harbour",
                "perigee gauge station harbour",
                "tide chart office harbour",
                "tide table office harbour");
        double[] s = Bm25.scores(docs, "tide perigee");
        // "tide" is in three passages, "perigee" in one: the same length, one match each, the rare one wins
        assertTrue(s[1] > s[0], java.util.Arrays.toString(s));
        assertEquals(s[0], s[2], 1e-9, "equal matches in equally long passages score the same");
        // a term in every passage carries almost no weight
        double[] everywhere = Bm25.scores(docs, "harbour");
        for (double v : everywhere) {
            assertTrue(v > 0 && v < 0.2 * s[1], java.util.Arrays.toString(everywhere));
        }
    }

    @Test
    void bm25FavoursTheShorterPassageForTheSameMatches() {
        double[] s = Bm25.scores(List.of(
                "perigee " + words("filler", 40),
                "perigee " + words("filler", 5),
                "perigee"), "perigee");
        assertTrue(s[2] > s[1] && s[1] > s[0], java.util.Arrays.toString(s));
    }

    @Test
    void bm25TermFrequencySaturates() {
        int[] frequencies = {1, 2, 4, 8, 16};
        List<String> docs = new java.util.ArrayList<>();
        for (int tf : frequencies) {
            docs.add(words("perigee", tf) + " " + words("filler", 16 - tf)); // all 16 terms long
        }
        docs.add(words("other", 16)); // so that the term is not in every passage
        double[] s = Bm25.scores(docs, "perigee");
        double idf = Math.log(1 + (6 - 5 + 0.5) / (5 + 0.5));
        for (int i = 1; i < frequencies.length; i++) {
            assertTrue(s[i] > s[i - 1], "more occurrences score higher: " + java.util.Arrays.toString(s));
        }
        // doubling the count adds less each time, and the score never passes idf * (k1 + 1)
        for (int i = 2; i < frequencies.length; i++) {
            assertTrue(s[i] - s[i - 1] < s[i - 1] - s[i - 2], java.util.Arrays.toString(s));
        }
        assertTrue(s[4] < idf * 2.2, s[4] + " >= " + idf * 2.2);
        assertTrue(s[4] / s[0] < 2.2, "sixteen occurrences are worth far less than sixteen times one");
    }

    @Test
    void bm25WithNothingToMatchScoresZero() {
        List<String> docs = List.of("Spring tides happen at full moon.", "", "Neap tides at the quarters.");
        for (String query : new String[] {"", "   ", null, "the and of", "?!"}) {
            double[] s = Bm25.scores(docs, query);
            assertEquals(3, s.length);
            for (double v : s) {
                assertEquals(0.0, v, "query " + query);
            }
        }
        assertEquals(0, Bm25.scores(List.of(), "tides").length);
        assertEquals(0.0, Bm25.scores(docs, "tides")[1], "an empty passage matches nothing");
        assertTrue(Bm25.scores(docs, "tides")[0] > 0);
    }

    @Test
    void selectionRespectsTheBudgetAndRestoresPageOrder() {
        String page = "# Ocean\n\n## Waves\n\n" + filler("waves", 30) + "\n\n## Tides\n\nSpring tides occur at new "
                + "and full moon, when the Sun and Moon pull together.\n\n## Currents\n\n" + filler("currents", 30);
        ContextBuilder.Page p1 = new ContextBuilder.Page(1, "https://a.example/ocean", "Ocean", page);
        ContextBuilder.Page p2 = new ContextBuilder.Page(2, "https://b.example/moon", "Moon", "The Moon orbits Earth. "
                + "Its pull raises spring tides twice a month.");
        ContextBuilder.Built built = ContextBuilder.build(List.of(p1, p2), "When do spring tides occur?", 200,
                new Chunker(100, 20), text -> (text.length() + 3) / 4);
        assertTrue(built.tokens() <= 200, "budget: " + built.tokens());
        assertTrue(built.message().startsWith(ContextBuilder.INSTRUCTION));
        assertTrue(built.message().contains("[1] Ocean — https://a.example/ocean"));
        assertTrue(built.message().contains("Section: Ocean > Tides\nSpring tides occur at new and full moon"));
        assertTrue(built.message().indexOf("[1] Ocean") < built.message().indexOf("[2] Moon"), "page order kept");
        assertFalse(built.message().contains("talks about waves"), "irrelevant passages are left out");
        assertEquals(List.of(1, 2), built.usedSources());
    }

    @Test
    void aBudgetTooSmallForAnythingInjectsNothing() {
        ContextBuilder.Built built = ContextBuilder.build(List.of(new ContextBuilder.Page(1, "https://a.example", "A",
                filler("tides", 10))), "tides", 20, new Chunker(100, 20), text -> (text.length() + 3) / 4);
        assertNull(built.message());
        assertTrue(built.usedSources().isEmpty());
    }

    @Test
    void citationsMarkEachKnownSourceAtItsCharacterOffsets() {
        Map<Integer, Citations.Cited> sources = Map.of(1, new Citations.Cited("https://a.example", "A"),
                2, new Citations.Cited("https://b.example", "B"));
        String content = "Tïdes rise [1]. Both agree [1, 2]; not [7].";
        ArrayNode a = Citations.annotations(content, sources);
        assertEquals(3, a.size());
        assertEquals("url_citation", a.get(0).path("type").asText());
        assertEquals("https://a.example", a.get(0).path("url_citation").path("url").asText());
        assertEquals(11, a.get(0).path("url_citation").path("start_index").asInt());
        assertEquals(14, a.get(0).path("url_citation").path("end_index").asInt());
        assertEquals("[1]", content.substring(11, 14));
        assertEquals("B", a.get(2).path("url_citation").path("title").asText());
        assertEquals(content.indexOf("[1, 2]"), a.get(2).path("url_citation").path("start_index").asInt());
    }
}
