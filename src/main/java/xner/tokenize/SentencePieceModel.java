package xner.tokenize;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import xner.XnerInputException;
import xner.io.StrictText;

/**
 * A SentencePiece model file ({@code sentencepiece.bpe.model}), the parts of its protobuf {@code ModelProto} a
 * converter to {@code tokenizer.json} needs: the pieces with their scores and types, the model type, and the
 * normalizer's precompiled character map. Read with a small protobuf decoder (varints and length-delimited
 * fields; everything else is skipped), so no protobuf library is needed.
 */
final class SentencePieceModel {
    /** {@code TrainerSpec.ModelType.UNIGRAM}, the default and XLM-R's kind. */
    static final int UNIGRAM = 1;

    /** A piece of the vocabulary ({@code ModelProto.SentencePiece}): its text, log-probability score and type. */
    record Piece(String piece, float score, int type) {
        /** {@code SentencePiece.Type}: NORMAL=1 (the default), UNKNOWN=2, CONTROL=3, USER_DEFINED=4, UNUSED=5, BYTE=6. */
        static final int NORMAL = 1;
    }

    private final List<Piece> pieces;
    private final int modelType;
    private final byte[] precompiledCharsmap; // empty when the model has none

    SentencePieceModel(List<Piece> pieces, int modelType, byte[] precompiledCharsmap) {
        this.pieces = List.copyOf(pieces);
        this.modelType = modelType;
        this.precompiledCharsmap = precompiledCharsmap.clone();
    }

    List<Piece> pieces() {
        return pieces;
    }

    int modelType() {
        return modelType;
    }

    byte[] precompiledCharsmap() {
        return precompiledCharsmap.clone();
    }

    static SentencePieceModel read(Path file) {
        try {
            return parse(Files.readAllBytes(file), file);
        } catch (NoSuchFileException e) {
            throw new XnerInputException(file + ": no such file");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Decodes a {@code ModelProto}: field 1 the pieces ({@code piece}=1 string, {@code score}=2 float,
     * {@code type}=3 enum), field 2 the trainer spec ({@code model_type}=3), field 3 the normalizer spec
     * ({@code precompiled_charsmap}=2 bytes).
     */
    static SentencePieceModel parse(byte[] bytes, Path file) {
        List<Piece> pieces = new ArrayList<>();
        int modelType = UNIGRAM;
        byte[] charsmap = new byte[0];
        Reader model = new Reader(bytes, 0, bytes.length, file);
        while (model.more()) {
            int tag = model.varint32();
            int field = tag >>> 3;
            int wire = tag & 7;
            if (field == 1 && wire == Reader.LEN) {
                pieces.add(piece(model.message(), pieces.size()));
            } else if (field == 2 && wire == Reader.LEN) {
                Reader trainer = model.message();
                while (trainer.more()) {
                    int t = trainer.varint32();
                    if (t >>> 3 == 3 && (t & 7) == Reader.VARINT) modelType = trainer.varint32();
                    else trainer.skip(t & 7);
                }
            } else if (field == 3 && wire == Reader.LEN) {
                Reader normalizer = model.message();
                while (normalizer.more()) {
                    int t = normalizer.varint32();
                    if (t >>> 3 == 2 && (t & 7) == Reader.LEN) charsmap = normalizer.bytes();
                    else normalizer.skip(t & 7);
                }
            } else {
                model.skip(wire);
            }
        }
        if (pieces.isEmpty()) throw new XnerInputException(file + ": no pieces: not a SentencePiece model");
        if (charsmap.length > 0) PrecompiledCharsmap.check(charsmap, file + ": normalizer_spec.precompiled_charsmap");
        return new SentencePieceModel(pieces, modelType, charsmap);
    }

    private static Piece piece(Reader r, int index) {
        String text = null;
        float score = 0f;
        int type = Piece.NORMAL;
        while (r.more()) {
            int t = r.varint32();
            int field = t >>> 3;
            int wire = t & 7;
            if (field == 1 && wire == Reader.LEN) text = r.string("pieces[" + index + "].piece");
            else if (field == 2 && wire == Reader.I32) score = Float.intBitsToFloat(r.fixed32());
            else if (field == 3 && wire == Reader.VARINT) type = r.varint32();
            else r.skip(wire);
        }
        if (text == null) throw r.error("pieces[" + index + "] has no piece string");
        // a score JSON cannot write (NaN, Infinity) would reach the tokenizers library as text it cannot read
        if (!Float.isFinite(score)) throw r.error("pieces[" + index + "] has score " + score);
        return new Piece(text, score, type);
    }

    /** A protobuf decoder over {@code bytes[pos, end)}. */
    private static final class Reader {
        static final int VARINT = 0, I64 = 1, LEN = 2, I32 = 5;

        private final byte[] bytes;
        private final int end;
        private final Path file;
        private int pos;

        Reader(byte[] bytes, int pos, int end, Path file) {
            this.bytes = bytes;
            this.pos = pos;
            this.end = end;
            this.file = file;
        }

        boolean more() {
            return pos < end;
        }

        XnerInputException error(String what) {
            return new XnerInputException(file + ": byte " + pos + ": " + what + " (not a SentencePiece model?)");
        }

        long varint() {
            long value = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                if (pos >= end) throw error("truncated varint");
                byte b = bytes[pos++];
                value |= (long) (b & 0x7F) << shift;
                if (b >= 0) return value;
            }
            throw error("varint longer than 10 bytes");
        }

        int varint32() {
            return (int) varint(); // a negative int32 arrives as a 10-byte varint whose low 32 bits are its value
        }

        int fixed32() {
            if (end - pos < 4) throw error("truncated 32-bit value");
            int v = (bytes[pos] & 0xFF) | (bytes[pos + 1] & 0xFF) << 8 | (bytes[pos + 2] & 0xFF) << 16 | (bytes[pos + 3] & 0xFF) << 24;
            pos += 4;
            return v;
        }

        private int length() {
            long n = varint();
            if (n < 0 || n > end - pos) throw error("length " + n + " runs past the end");
            return (int) n;
        }

        Reader message() {
            int n = length();
            Reader sub = new Reader(bytes, pos, pos + n, file);
            pos += n;
            return sub;
        }

        byte[] bytes() {
            int n = length();
            byte[] out = Arrays.copyOfRange(bytes, pos, pos + n);
            pos += n;
            return out;
        }

        String string(String field) {
            byte[] b = bytes();
            try {
                return StrictText.utf8(b);
            } catch (StrictText.NotText e) {
                throw error(field + " is not UTF-8");
            }
        }

        void skip(int wire) {
            switch (wire) {
                case VARINT -> varint();
                case I64 -> {
                    if (end - pos < 8) throw error("truncated 64-bit value");
                    pos += 8;
                }
                case LEN -> {
                    int n = length(); // read before adding: "pos += length()" would add to the old pos
                    pos += n;
                }
                case I32 -> fixed32();
                default -> throw error("unsupported protobuf wire type " + wire);
            }
        }
    }
}
