package xner.model;

import java.util.List;

/**
 * What loading a checkpoint into a model did, as transformers reports it: the parameters the checkpoint
 * lacked (newly initialised) and the checkpoint's tensors the model did not use.
 */
public record LoadReport(String checkpoint, List<String> newlyInitialised, List<String> unused, List<String> mismatched) {
    public LoadReport {
        newlyInitialised = List.copyOf(newlyInitialised);
        unused = List.copyOf(unused);
        mismatched = List.copyOf(mismatched);
    }

    public LoadReport(String checkpoint, List<String> newlyInitialised, List<String> unused) {
        this(checkpoint, newlyInitialised, unused, List.of());
    }

    /** This report with the tensors that were re-initialised because their shapes did not match, one line each. */
    public LoadReport withMismatched(List<String> lines) {
        return new LoadReport(checkpoint, newlyInitialised, unused, lines);
    }

    /** Whether every parameter came from the checkpoint and every tensor of it was used. */
    public boolean isExact() {
        return newlyInitialised.isEmpty() && unused.isEmpty() && mismatched.isEmpty();
    }

    /** The two warnings transformers prints, one paragraph each; empty when {@link #isExact()}. */
    public String describe() {
        StringBuilder out = new StringBuilder();
        if (!unused.isEmpty()) {
            out.append("Some weights of ").append(checkpoint).append(" were not used: ").append(unused)
                    .append(". This is expected when the checkpoint was trained for another task (a pretraining"
                            + " head, a pooler).\n");
        }
        if (!newlyInitialised.isEmpty()) {
            out.append("Some weights were not found in ").append(checkpoint).append(" and are newly initialised: ")
                    .append(newlyInitialised).append(". Train the model before using it for predictions.\n");
        }
        if (!mismatched.isEmpty()) { // transformers' ignore_mismatched_sizes=True warning
            out.append("Some weights of the model were not initialised from ").append(checkpoint)
                    .append(" and are newly initialised because the shapes did not match:\n");
            for (String line : mismatched) out.append("- ").append(line).append('\n');
            out.append("Train the model before using it for predictions.\n");
        }
        return out.toString();
    }
}
