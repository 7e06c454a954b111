/** Step 2. Words or text in, sub-token ids out: WordPiece (BERT) and SentencePiece (XLM-R) tokenizers with word ids and character offsets, and label alignment. No DJL type here. */
package xner.tokenize;
