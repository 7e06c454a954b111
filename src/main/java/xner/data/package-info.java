/**
 * Step 1, files in, sentences out: corpus files are read into {@link xner.data.Sentence}s (words, IOB2 tag
 * names, the file and line they came from), collected into {@link xner.data.Dataset}s and named splits
 * ({@link xner.data.DatasetDict}), and sampled into the chapter's Swiss corpus. No DJL type here.
 *
 * <ul>
 *   <li>In: PAN-X as the chapter loads it, a folder through a {@link xner.data.PanxSource}
 *       ({@link xner.data.LocalPanx} with a {@link xner.data.PanxReader}, or the hub's parquet). A user's files
 *       (CoNLL columns, JSON Lines {@code {"tokens": [...], "ner_tags": [...]}}, span files, PAN-X's layout) go
 *       through {@link xner.data.CorpusFiles}: the format detected ({@link xner.data.CorpusFormat}, names by
 *       {@link xner.data.FileExtension}), read with tags as written ({@link xner.data.ConllReader},
 *       {@link xner.data.JsonlReader}, {@link xner.data.SpanReader}), the scheme converted to IOB2, labels mapped.
 *       Tags are checked against a {@link xner.data.LabelSet} (PAN-X: O, B-PER, I-PER, B-ORG, I-ORG,
 *       B-LOC, I-LOC, Hugging Face's {@code ClassLabel} order). Bad input stops with an
 *       {@link xner.XnerInputException} naming file and line.</li>
 *   <li>Files to tag stream through a {@link xner.data.RecordReader} (text lines, JSON Lines, CoNLL) as
 *       {@link xner.data.InputRecord}s, in the charset and CoNLL columns of a {@link xner.data.ColumnLayout}, cut
 *       as training cuts them (one rule for both: {@code ConllColumns}); a bad record comes back as a malformed
 *       one naming its line, for the tagger to report and skip. JSON Lines are read by one strict reader, {@link xner.io.StrictJson}.
 *       Documents (PDF, Office, HTML, e-mail) come one per record ({@link xner.data.InputRecord.Document}) from a
 *       folder ({@link xner.data.DocumentFiles}), their text from a {@link xner.data.DocumentExtractor}: a seam whose
 *       implementation, on Apache Tika, is the module {@code documents/}, found by {@link java.util.ServiceLoader}.</li>
 *   <li>Out: immutable datasets in Hugging Face's sentence order; {@link xner.data.Dataset#shuffle(long)}
 *       is Hugging Face's {@code shuffle(seed=)} bit for bit ({@link xner.data.NumpyGenerator} over
 *       {@link xner.data.Pcg64} seeded by {@link xner.data.SeedSequence}, as
 *       {@code numpy.random.default_rng(seed).permutation(n)}); {@link xner.data.SwissCorpus} holds the
 *       per-language subsets, with a note wherever a split does not come from its namesake (Italian test
 *       from dev).</li>
 * </ul>
 */
package xner.data;
