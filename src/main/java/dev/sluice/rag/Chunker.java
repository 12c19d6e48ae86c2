package dev.sluice.rag;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Splits a page's Markdown into chunks along its structure: a chunk never spans two sections (a heading starts a
 * new one), keeps whole paragraphs, lists, tables and code blocks where they fit, and carries the heading path of
 * its section. Chunks aim at {@code targetTokens}; consecutive chunks of a section overlap by a short tail of the
 * previous one so that a sentence at a boundary is not lost. Blocks larger than a chunk are split at sentence
 * boundaries, then at line or word boundaries.
 *
 * <p>Sizes here use a fast estimate (about four characters a token); exact counts are taken only for the chunks
 * that are selected.
 */
final class Chunker {

    private static final Pattern HEADING = Pattern.compile("^(#{1,6})\\s+(.*?)\\s*#*\\s*$");
    private static final Pattern SENTENCE_END = Pattern.compile("(?<=[.!?。！？])\\s+");

    private final int targetTokens;
    private final int overlapTokens;

    Chunker(int targetTokens, int overlapTokens) {
        this.targetTokens = Math.max(50, targetTokens);
        this.overlapTokens = Math.max(0, Math.min(overlapTokens, this.targetTokens / 3));
    }

    static int estimateTokens(String text) {
        return (text.length() + 3) / 4;
    }

    List<Chunk> chunk(int page, String markdown) {
        List<Chunk> out = new ArrayList<>();
        String[] headings = new String[7];
        List<String> blocks = new ArrayList<>();
        StringBuilder block = new StringBuilder();
        boolean inFence = false;
        for (String line : markdown.split("\n", -1)) {
            String trimmed = line.strip();
            if (trimmed.startsWith("```") || trimmed.startsWith("~~~")) {
                inFence = !inFence;
                block.append(line).append('\n');
                if (!inFence) {
                    flushBlock(block, blocks);
                }
                continue;
            }
            if (inFence) {
                block.append(line).append('\n');
                continue;
            }
            var heading = HEADING.matcher(trimmed);
            if (heading.matches()) {
                flushBlock(block, blocks);
                emitSection(page, path(headings), blocks, out);
                int level = heading.group(1).length();
                headings[level] = heading.group(2).strip();
                for (int l = level + 1; l < headings.length; l++) {
                    headings[l] = null;
                }
                continue;
            }
            if (trimmed.isEmpty()) {
                flushBlock(block, blocks);
            } else {
                block.append(line).append('\n');
            }
        }
        flushBlock(block, blocks);
        emitSection(page, path(headings), blocks, out);
        return out;
    }

    private static void flushBlock(StringBuilder block, List<String> blocks) {
        String text = block.toString().strip();
        if (!text.isEmpty()) {
            blocks.add(text);
        }
        block.setLength(0);
    }

    private static String path(String[] headings) {
        StringBuilder p = new StringBuilder();
        for (String h : headings) {
            if (h != null && !h.isEmpty()) {
                if (p.length() > 0) {
                    p.append(" > ");
                }
                p.append(h);
            }
        }
        return p.toString();
    }

    /** Packs one section's blocks into chunks and clears the block list. */
    private void emitSection(int page, String headingPath, List<String> blocks, List<Chunk> out) {
        List<String> pieces = new ArrayList<>();
        for (String b : blocks) {
            if (estimateTokens(b) <= targetTokens) {
                pieces.add(b);
            } else {
                pieces.addAll(split(b));
            }
        }
        blocks.clear();
        StringBuilder current = new StringBuilder();
        String lastPiece = null;
        for (String piece : pieces) {
            if (current.length() > 0 && estimateTokens(current.toString()) + estimateTokens(piece) > targetTokens) {
                out.add(new Chunk(page, out.size(), headingPath, current.toString().strip()));
                current.setLength(0);
                String carry = overlap(lastPiece);
                if (!carry.isEmpty()) {
                    current.append(carry).append("\n\n");
                }
            }
            current.append(piece).append("\n\n");
            lastPiece = piece;
        }
        if (current.length() > 0) {
            out.add(new Chunk(page, out.size(), headingPath, current.toString().strip()));
        }
    }

    /** The tail of a piece (whole sentences) that fits in the overlap. */
    private String overlap(String piece) {
        if (piece == null || overlapTokens == 0) {
            return "";
        }
        if (estimateTokens(piece) <= overlapTokens) {
            return piece;
        }
        String[] sentences = SENTENCE_END.split(piece);
        StringBuilder tail = new StringBuilder();
        for (int i = sentences.length - 1; i >= 0; i--) {
            String candidate = sentences[i] + (tail.length() > 0 ? " " + tail : "");
            if (estimateTokens(candidate) > overlapTokens) {
                break;
            }
            tail.setLength(0);
            tail.append(candidate);
        }
        return tail.toString();
    }

    /** Splits an oversized block at sentences, then lines, then words. */
    private List<String> split(String block) {
        List<String> out = new ArrayList<>();
        String[] units = block.startsWith("```") || block.startsWith("|") || block.startsWith("- ")
                || block.startsWith("* ") || block.matches("(?s)^\\d+\\. .*") ? block.split("\n") : SENTENCE_END.split(block);
        String joiner = units.length > 1 && block.contains("\n") && !block.contains(". ") ? "\n" : " ";
        StringBuilder current = new StringBuilder();
        for (String unit : units) {
            if (estimateTokens(unit) > targetTokens) {
                if (current.length() > 0) {
                    out.add(current.toString().strip());
                    current.setLength(0);
                }
                out.addAll(words(unit));
                continue;
            }
            if (current.length() > 0 && estimateTokens(current.toString()) + estimateTokens(unit) > targetTokens) {
                out.add(current.toString().strip());
                current.setLength(0);
            }
            current.append(unit).append(joiner);
        }
        if (current.length() > 0) {
            out.add(current.toString().strip());
        }
        return out;
    }

    private List<String> words(String text) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String word : text.split("\\s+")) {
            if (current.length() > 0 && estimateTokens(current.toString()) + estimateTokens(word) + 1 > targetTokens) {
                out.add(current.toString().strip());
                current.setLength(0);
            }
            current.append(word).append(' ');
        }
        if (current.length() > 0) {
            out.add(current.toString().strip());
        }
        return out;
    }
}
