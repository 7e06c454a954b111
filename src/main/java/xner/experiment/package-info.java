/**
 * Step 8. The chapter's experiments end to end: the Swiss corpus and a pretrained body in; fine-tuned sub-runs
 * (German, the French learning curve, German + French, each language alone, all four), their test scores,
 * {@code results.json}, {@code report.md}, {@code report.html} and plots out; and active learning simulated with gold
 * labels ({@link xner.experiment.ActiveLearningExperiment}: a pool, a starting model and strategies in, F1 against
 * annotated sentences per strategy out, choosing through {@code select}). It composes {@code train} and
 * {@code evaluate} (and {@code select}) and sits after them; keeping it out of {@code train} leaves that package about one run, and
 * keeps drawing (AWT, XChart) away from the model code.
 */
package xner.experiment;
