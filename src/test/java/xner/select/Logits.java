package xner.select;

import java.util.ArrayList;
import java.util.List;
import xner.data.LabelSet;
import xner.infer.Tagged;
import xner.infer.TaggedToken;
import xner.tokenize.Encoding;

/**
 * Tagged texts with logits the test writes, no model: each space-separated piece of the text is one token, and a
 * piece {@code ##x} continues the word before it, as WordPiece writes sub-tokens. A piece's logits over O, B-PER,
 * I-PER come from its first character: {@code ?} uniform (0, 0, 0), {@code ~} (ln 2, 0, 0), {@code =} two-way
 * (0, 0, -30), {@code ^} (ln 3, 0, 0), {@code !} confident B-PER (0, 10, 0), anything else confident O (10, 0, 0).
 */
final class Logits {
    static final LabelSet LABELS = new LabelSet(List.of("O", "B-PER", "I-PER"));
    static final float[] UNIFORM = {0, 0, 0};
    static final float[] HALF = {(float) Math.log(2), 0, 0};
    static final float[] TWO_WAY = {0, 0, -30};
    static final float[] THREE_FIFTHS = {(float) Math.log(3), 0, 0};
    static final float[] CONFIDENT = {10, 0, 0};
    static final float[] PERSON = {0, 10, 0};

    private Logits() {}

    static Tagged tagged(String text) {
        List<TaggedToken> tokens = new ArrayList<>();
        tokens.add(TaggedToken.fromLogits(0, "[CLS]", Encoding.NO_WORD, 0, 0, true, UNIFORM)); // specials never count
        int word = -1;
        int at = 0;
        for (String piece : text.split(" ")) {
            int start = text.indexOf(piece, at);
            at = start + piece.length();
            if (piece.isEmpty()) continue;
            boolean continues = piece.startsWith("##") && word >= 0;
            if (!continues) word++;
            String shown = continues ? piece.substring(2) : piece;
            float[] logits = switch (shown.isEmpty() ? ' ' : shown.charAt(0)) {
                case '?' -> UNIFORM;
                case '~' -> HALF;
                case '=' -> TWO_WAY;
                case '^' -> THREE_FIFTHS;
                case '!' -> PERSON;
                default -> CONFIDENT;
            };
            tokens.add(TaggedToken.fromLogits(tokens.size(), piece, word, start, at, false, logits));
        }
        tokens.add(TaggedToken.fromLogits(tokens.size(), "[SEP]", Encoding.NO_WORD, 0, 0, true, UNIFORM));
        return new Tagged(text, tokens, LABELS);
    }
}
