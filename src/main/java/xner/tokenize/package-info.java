/**
 * Step 2. Words or text in, sub-token ids out: {@link xner.tokenize.Tokenizer} with its two implementations,
 * {@link xner.tokenize.WordPieceTokenizer} (multilingual BERT, from {@code vocab.txt}) and
 * {@link xner.tokenize.SentencePieceTokenizer} (XLM-R, from its SentencePiece model or {@code tokenizer.json}),
 * both run by Hugging Face's tokenizers library through DJL and chosen by {@link xner.tokenize.Tokenizers#load};
 * an {@link xner.tokenize.Encoding} carries tokens, ids, word ids and UTF-16 character offsets; and
 * {@link xner.tokenize.LabelAligner} puts word labels on sub-tokens (-100 elsewhere). No DJL NDArray here.
 */
package xner.tokenize;
