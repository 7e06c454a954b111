/**
 * Test support shared by the tests of several packages, in one place a newcomer finds first:
 *
 * <ul>
 *   <li>{@link xner.testing.TestData}: where the real inputs are (PAN-X, CoNLL-2002, the reference numbers, the
 *       mBERT jar); a test whose input is missing is skipped with a reason that says how to provide it.</li>
 *   <li>{@link xner.testing.SyntheticSentences}: German-looking sentences tagged in IOB2 (PER, ORG, LOC) made from a
 *       seed, for tests that need some sentences and no fact of PAN-X; they run without {@code XNER_DATA}.</li>
 *   <li>{@link xner.testing.TinyModels}: tiny random models, ids-only configs (2 layers, hidden 8) and a
 *       word-level tokenizer with a pretrained-like body for end-to-end tests on real sentences.</li>
 *   <li>{@link xner.testing.FakeHub}: a stand-in for the Hugging Face hub on the loopback, for the dataset and
 *       model downloads of {@code xner.data} and {@code xner.model} without the network.</li>
 *   <li>{@link xner.testing.Cli}: runs {@code xner} in this JVM and captures exit code, stdout and stderr; every
 *       test of the command line goes through it (those that need a child JVM, for a real {@code kill -9},
 *       start one).</li>
 * </ul>
 *
 * <p>It is a package of its own, rather than classes at the root or in {@code xner.cli}, so that support code
 * is not mistaken for a test of a package, and a test of any package imports it the same way. Fixtures that
 * serve one package's tests only stay beside them ({@code xner.infer.KeywordModel},
 * {@code xner.train.TinyDisk}, ...). Main code never imports this package: it lives under {@code src/test}.
 */
package xner.testing;
