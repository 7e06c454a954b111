package xner.evaluate;

import java.util.ArrayList;
import java.util.List;

/**
 * Finds the entities in tag sequences exactly as seqeval's default (non-strict) mode does, which for IOB2
 * is conlleval's reading: an {@code I-} tag that does not continue an entity of its own type starts a new
 * one, and a change of type always ends the entity before it. IOBES tags ({@code E-}, {@code S-}) are read
 * as seqeval reads them.
 *
 * <p>Sentences are read as seqeval reads a list of lists: one flat sequence with an {@code O} after each
 * sentence, so an entity never crosses a sentence boundary and positions count across sentences.
 */
public final class EntityChunker {
    private EntityChunker() {}

    /** The entities of several sentences; positions index the flat sequence described above. */
    public static List<Chunk> chunks(List<List<String>> sentences) {
        List<String> flat = new ArrayList<>();
        for (List<String> sentence : sentences) {
            flat.addAll(sentence);
            flat.add("O");
        }
        return chunksOf(flat);
    }

    /** The entities of one tag sequence. */
    public static List<Chunk> chunksOf(List<String> tags) {
        List<Chunk> chunks = new ArrayList<>();
        char prevTag = 'O';
        String prevType = "";
        int begin = 0;
        for (int i = 0; i <= tags.size(); i++) {
            String label = i < tags.size() ? tags.get(i) : "O"; // a final O closes an entity at the end
            char tag = label.isEmpty() ? 'O' : label.charAt(0);
            String type = typeOf(label);
            if (endsChunk(prevTag, tag, prevType, type)) chunks.add(new Chunk(prevType, begin, i - 1));
            if (startsChunk(prevTag, tag, prevType, type)) begin = i;
            prevTag = tag;
            prevType = type;
        }
        return chunks;
    }

    /**
     * The entities of several IOB2 sentences as seqeval's {@code mode="strict", scheme=IOB2} finds them: an
     * entity is a {@code B-X} followed by any {@code I-X}; an {@code I-} tag that does not continue an entity
     * of its type belongs to no entity (the default mode would open one there). Positions as {@link #chunks}.
     */
    public static List<Chunk> strictChunks(List<List<String>> sentences) {
        List<Chunk> chunks = new ArrayList<>();
        int offset = 0;
        for (List<String> sentence : sentences) {
            String type = null;
            int begin = 0;
            for (int i = 0; i <= sentence.size(); i++) {
                String tag = i < sentence.size() ? sentence.get(i) : "O";
                boolean continues = type != null && tag.startsWith("I-") && typeOf(tag).equals(type);
                if (continues) continue;
                if (type != null) chunks.add(new Chunk(type, offset + begin, offset + i - 1));
                type = null;
                if (tag.startsWith("B-")) {
                    type = typeOf(tag);
                    begin = i;
                }
            }
            offset += sentence.size() + 1; // the O seqeval puts after each sentence
        }
        return chunks;
    }

    /** As seqeval: the text after the first '-', or "_" when there is none (so "O" has type "_"). */
    private static String typeOf(String label) {
        String rest = label.length() > 1 ? label.substring(1) : "";
        int dash = rest.indexOf('-');
        String type = dash >= 0 ? rest.substring(dash + 1) : rest;
        return type.isEmpty() ? "_" : type;
    }

    // seqeval.metrics.sequence_labeling.end_of_chunk
    private static boolean endsChunk(char prevTag, char tag, String prevType, String type) {
        if (prevTag == 'E' || prevTag == 'S') return true;
        if ((prevTag == 'B' || prevTag == 'I') && (tag == 'B' || tag == 'S' || tag == 'O')) return true;
        return prevTag != 'O' && prevTag != '.' && !prevType.equals(type);
    }

    // seqeval.metrics.sequence_labeling.start_of_chunk
    private static boolean startsChunk(char prevTag, char tag, String prevType, String type) {
        if (tag == 'B' || tag == 'S') return true;
        if ((prevTag == 'E' || prevTag == 'S' || prevTag == 'O') && (tag == 'E' || tag == 'I')) return true;
        return tag != 'O' && tag != '.' && !prevType.equals(type);
    }

    /**
     * An entity: its type and the positions of its first and last tag (both inclusive, as seqeval).
     */
    public record Chunk(String type, int first, int last) {
        public Chunk {
            if (first < 0 || last < first) throw new IllegalArgumentException("bad chunk " + first + ".." + last);
        }
    }
}
