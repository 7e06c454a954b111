package xner.tokenize;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A tiny SentencePiece {@code ModelProto} written by hand for tests: XLM-R's layout ({@code <unk> <s> </s>}
 * first) and a dozen pieces with scores chosen so that the best segmentations are easy to work out:
 *
 * <pre>
 * spm id  piece    score   fairseq id (spm id + 1)
 *  0      &lt;unk&gt;     0     (3)
 *  1      &lt;s&gt;       0     (0)
 *  2      &lt;/s&gt;      0     (2)
 *  3      ▁        -3       4
 *  4      ▁New     -1       5
 *  5      ▁York    -1       6
 *  6      ▁Hel     -2       7
 *  7      lo       -2       8
 *  8      ▁world   -1.5     9
 *  9      !        -2.5    10
 * 10      ▁Zü      -3      11
 * 11      rich     -2.5    12
 * 12      l        -5      13
 * 13      o        -5      14
 * 14      H        -6      15
 * 15      e        -6      16
 *                          &lt;mask&gt; = 17, vocabulary size 18
 * </pre>
 */
final class TinySentencePieceModel {
    private TinySentencePieceModel() {}

    static final Object[][] PIECES = {
        {"<unk>", 0f, 2}, {"<s>", 0f, 3}, {"</s>", 0f, 3},
        {"\u2581", -3f, 1}, {"\u2581New", -1f, 1}, {"\u2581York", -1f, 1}, {"\u2581Hel", -2f, 1}, {"lo", -2f, 1},
        {"\u2581world", -1.5f, 1}, {"!", -2.5f, 1}, {"\u2581Z\u00fc", -3f, 1}, {"rich", -2.5f, 1},
        {"l", -5f, 1}, {"o", -5f, 1}, {"H", -6f, 1}, {"e", -6f, 1},
    };

    /** The model's bytes, with the given {@code TrainerSpec.model_type} (1 = Unigram). */
    static byte[] bytes(int modelType) {
        Proto model = new Proto();
        for (Object[] p : PIECES) {
            Proto piece = new Proto();
            piece.string(1, (String) p[0]);
            piece.fixed32(2, Float.floatToIntBits((Float) p[1]));
            piece.varint(3, (Integer) p[2]);
            model.message(1, piece);
        }
        Proto trainer = new Proto();
        trainer.varint(3, modelType);
        trainer.varint(40, 0); // unk_id: a field the reader has to skip
        trainer.string(2, "tiny");
        model.message(2, trainer);
        Proto normalizer = new Proto();
        normalizer.string(1, "identity"); // no precompiled_charsmap
        normalizer.varint(3, 1);
        model.message(3, normalizer);
        return model.toByteArray();
    }

    static Path write(Path dir) throws IOException {
        Path file = dir.resolve("sentencepiece.bpe.model");
        Files.write(file, bytes(1));
        return file;
    }

    /** A protobuf writer: just what the model above needs. */
    static final class Proto {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        void rawVarint(long v) {
            while ((v & ~0x7FL) != 0) {
                out.write((int) ((v & 0x7F) | 0x80));
                v >>>= 7;
            }
            out.write((int) v);
        }

        void varint(int field, long v) {
            rawVarint((long) field << 3);
            rawVarint(v);
        }

        void fixed32(int field, int v) {
            rawVarint((long) field << 3 | 5);
            for (int i = 0; i < 4; i++) out.write(v >>> (8 * i) & 0xFF);
        }

        void bytes(int field, byte[] b) {
            rawVarint((long) field << 3 | 2);
            rawVarint(b.length);
            out.writeBytes(b);
        }

        void string(int field, String s) {
            bytes(field, s.getBytes(StandardCharsets.UTF_8));
        }

        void message(int field, Proto m) {
            bytes(field, m.toByteArray());
        }

        byte[] toByteArray() {
            return out.toByteArray();
        }
    }
}
