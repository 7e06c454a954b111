package xner.tokenize;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import xner.XnerInputException;
import xner.io.ProtoReader;
import xner.io.StrictText;

/**
 * A SentencePiece model file ({@code sentencepiece.bpe.model}), the parts of its protobuf {@code ModelProto} a
 * converter to {@code tokenizer.json} needs: the pieces with their scores and types, the model type, and the
 * normalizer's precompiled character map, read field by field with {@link ProtoReader} (protobuf-java's decoder;
 * every other field is skipped).
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
        ProtoReader model = ProtoReader.of(bytes, 0, bytes.length, file.toString());
        while (model.more()) {
            int tag = model.tag();
            int field = ProtoReader.field(tag);
            int wire = ProtoReader.wire(tag);
            if (field == 1 && wire == ProtoReader.LEN) {
                pieces.add(piece(model.message(), pieces.size()));
            } else if (field == 2 && wire == ProtoReader.LEN) {
                ProtoReader trainer = model.message();
                while (trainer.more()) {
                    int t = trainer.tag();
                    if (t == (3 << 3 | ProtoReader.VARINT)) modelType = trainer.varint32();
                    else trainer.skip(t);
                }
            } else if (field == 3 && wire == ProtoReader.LEN) {
                ProtoReader normalizer = model.message();
                while (normalizer.more()) {
                    int t = normalizer.tag();
                    if (t == (2 << 3 | ProtoReader.LEN)) charsmap = normalizer.bytes();
                    else normalizer.skip(t);
                }
            } else {
                model.skip(tag);
            }
        }
        if (pieces.isEmpty()) throw new XnerInputException(file + ": no pieces: not a SentencePiece model");
        if (charsmap.length > 0) PrecompiledCharsmap.check(charsmap, file + ": normalizer_spec.precompiled_charsmap");
        return new SentencePieceModel(pieces, modelType, charsmap);
    }

    private static Piece piece(ProtoReader r, int index) {
        String text = null;
        float score = 0f;
        int type = Piece.NORMAL;
        while (r.more()) {
            int tag = r.tag();
            if (tag == (1 << 3 | ProtoReader.LEN)) text = string(r, "pieces[" + index + "].piece");
            else if (tag == (2 << 3 | ProtoReader.I32)) score = Float.intBitsToFloat(r.fixed32());
            else if (tag == (3 << 3 | ProtoReader.VARINT)) type = r.varint32();
            else r.skip(tag);
        }
        if (text == null) throw r.error("pieces[" + index + "] has no piece string (not a SentencePiece model?)");
        // a score JSON cannot write (NaN, Infinity) would reach the tokenizers library as text it cannot read
        if (!Float.isFinite(score)) throw r.error("pieces[" + index + "] has score " + score);
        return new Piece(text, score, type);
    }

    private static String string(ProtoReader r, String field) {
        byte[] b = r.bytes();
        try {
            return StrictText.utf8(b);
        } catch (StrictText.NotText e) {
            throw r.error(field + " is not UTF-8");
        }
    }
}
