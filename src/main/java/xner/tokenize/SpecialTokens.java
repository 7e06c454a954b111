package xner.tokenize;

/**
 * The special token strings of a tokenizer, as in Hugging Face's {@code special_tokens_map.json}. BERT's
 * sequence start and end are {@code [CLS]} and {@code [SEP]}; XLM-R's are {@code <s>} and {@code </s>} (its
 * {@code bos}/{@code eos} as well as {@code cls}/{@code sep}).
 */
public record SpecialTokens(String cls, String sep, String pad, String mask, String unk) {
    /** BERT's, and multilingual BERT's. */
    public static final SpecialTokens BERT = new SpecialTokens("[CLS]", "[SEP]", "[PAD]", "[MASK]", "[UNK]");
    /** XLM-RoBERTa's (fairseq's dictionary order: {@code <s>}=0, {@code <pad>}=1, {@code </s>}=2, {@code <unk>}=3). */
    public static final SpecialTokens XLM_R = new SpecialTokens("<s>", "</s>", "<pad>", "<mask>", "<unk>");

    public SpecialTokens {
        for (String t : new String[] {cls, sep, pad, mask, unk}) {
            if (t == null || t.isEmpty()) {
                throw new IllegalArgumentException("special tokens must be non-empty: cls=" + cls + " sep=" + sep
                        + " pad=" + pad + " mask=" + mask + " unk=" + unk);
            }
        }
    }
}
