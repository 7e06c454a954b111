/**
 * Step 2. Words or text in, sub-token ids out: {@link xner.tokenize.Tokenizer} with its two implementations,
 * {@link xner.tokenize.WordPieceTokenizer} (multilingual BERT, from {@code vocab.txt}) and
 * {@link xner.tokenize.SentencePieceTokenizer} (XLM-R, from its SentencePiece model or {@code tokenizer.json}),
 * both run by Hugging Face's tokenizers library through DJL and chosen by {@link xner.tokenize.Tokenizers#load};
 * an {@link xner.tokenize.Encoding} carries tokens, ids, word ids and UTF-16 character offsets; and
 * {@link xner.tokenize.LabelAligner} puts word labels on sub-tokens (-100 elsewhere). No DJL NDArray here.
 *
 * <p>The one exception to "{@code tokenize} imports no DJL type" ({@code STYLE.md}, section 1): the
 * package-private {@code NativeTokenizer}, base of both tokenizers, is the only class that imports DJL, and only
 * its binding of Hugging Face's Rust {@code tokenizers} library ({@code ai.djl.huggingface.tokenizers}), because
 * that library is the tokenization the models were trained with, offsets and special tokens included. The
 * DJL types stay inside that class: every public method takes and returns Java types ({@code String},
 * {@code List<Integer>}, {@link xner.tokenize.Encoding}), and the binding is a JNI library of its own, with no
 * NDArray and no PyTorch engine, so the package's tests need neither. A seam over the binding would be an
 * interface with one implementation, which {@code STYLE.md} (section 3) says should be a class.
 */
package xner.tokenize;
