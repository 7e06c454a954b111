package xner.infer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xner.XnerInputException;
import xner.model.BertConfig;
import xner.model.MaskedLanguageModel;
import xner.tokenize.Tokenizer;
import xner.tokenize.Tokenizers;

class FillMaskTest {
    private static final BertConfig TINY = BertConfig.defaults("bert").withSizes(30, 8, 2, 2, 16)
            .withEmbeddingTables(16, 2);

    @Test
    void guessesAreTheSoftmaxOfTheLogitsInDescendingOrder() {
        int[] ids = {2, 5, 4, 9, 3};
        try (MaskedLanguageModel model = MaskedLanguageModel.initialise(TINY, false, 3)) {
            List<List<FillMask.Guess>> guesses = new FillMask(model).fill(ids, new int[] {2, 3}, 4);
            try (NDManager call = model.parameters().manager().newSubManager()) {
                float[] probabilities = model.logits(call, call.create(new long[][] {{2, 5, 4, 9, 3}}), null, false)
                        .softmax(-1).get(0).toFloatArray();
                for (int m = 0; m < 2; m++) {
                    int position = m == 0 ? 2 : 3;
                    List<FillMask.Guess> top = guesses.get(m);
                    assertEquals(4, top.size());
                    for (int i = 0; i < top.size(); i++) {
                        FillMask.Guess g = top.get(i);
                        assertEquals(probabilities[position * 30 + g.tokenId()], g.probability(), 1e-6);
                        if (i > 0) assertTrue(g.probability() <= top.get(i - 1).probability());
                    }
                    // nothing outside the top 4 beats the 4th
                    for (int id = 0; id < 30; id++) {
                        final int token = id;
                        if (top.stream().noneMatch(g -> g.tokenId() == token)) {
                            assertTrue(probabilities[position * 30 + id] <= top.get(3).probability());
                        }
                    }
                }
            }
        }
    }

    @Test
    void aTextIsFilledAtEachOfItsMaskTokens(@TempDir Path dir) {
        try (Tokenizer tokenizer = Tokenizers.load(KeywordModel.standard(dir.resolve("keywords")));
                MaskedLanguageModel model = MaskedLanguageModel.initialise(
                        BertConfig.defaults("bert").withSizes(tokenizer.vocabSize(), 8, 2, 2, 16).withEmbeddingTables(16, 2), false, 3)) {
            FillMask fill = new FillMask(tokenizer, model);
            List<FillMask.Mask> masks = fill.fill("Jeff [MASK] in [MASK]", 3);
            int[] ids = tokenizer.encode("Jeff [MASK] in [MASK]").ids().stream().mapToInt(Integer::intValue).toArray();
            assertEquals(List.of(2, 4), masks.stream().map(FillMask.Mask::position).toList(), "[CLS] Jeff [MASK] in [MASK] [SEP]");
            List<List<FillMask.Guess>> byIds = fill.fill(ids, new int[] {2, 4}, 3);
            for (int m = 0; m < 2; m++) assertEquals(byIds.get(m), masks.get(m).guesses());
            assertEquals(FillMask.DEFAULT_TOP_K, fill.fill("[MASK]").get(0).guesses().size());
            XnerInputException none = assertThrows(XnerInputException.class, () -> fill.fill("Jeff in Zürich"));
            assertEquals("no [MASK] in \"Jeff in Zürich\"", none.getMessage());
        }
    }

    @Test
    void aMaskPositionOutsideTheIdsIsRefused() {
        try (MaskedLanguageModel model = MaskedLanguageModel.initialise(TINY, false, 3)) {
            assertThrows(IllegalArgumentException.class, () -> new FillMask(model).fill(new int[] {2, 3}, 2, 5));
        }
    }
}
