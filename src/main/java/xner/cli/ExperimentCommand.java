package xner.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import xner.model.Precision;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import xner.XnerInputException;
import xner.data.DatasetDict;
import xner.experiment.ExperimentReport;
import xner.experiment.ExperimentResults;
import xner.experiment.ExperimentSettings;
import xner.experiment.SubRun;
import xner.experiment.SwissPanxExperiment;
import xner.model.ModelSource;
import xner.model.MultilingualBert;

/**
 * {@code xner experiment swiss-panx}: the chapter end to end on the Swiss corpus, resumable: run it again with
 * the same {@code --output} and finished sub-runs are skipped, a killed one resumes from its last epoch.
 *
 * <pre>
 *   bin/xner experiment swiss-panx --data-dir ../shared/data --output runs/swiss-panx --quick
 * </pre>
 */
@Command(name = "experiment", mixinStandardHelpOptions = true, sortOptions = false,
        subcommands = {ActiveLearningCommand.class},
        description = {"Run the chapter's experiments on the Swiss PAN-X corpus (corpus seed 0, training seed 42): "
                + "de (fine-tune on German; test F1 on de and zero-shot on fr, it, en), curve (fine-tune on 250, 500, "
                + "1000, 2000, 4000 French sentences), de-fr (German + French), each (fr, it, en alone), all (the four "
                + "together). Writes runs/<id>/result.json as each sub-run ends, then results.json, report.md, "
                + "report.html and plots/ (PNG and SVG) in --output.",
                "Run again with the same --output to skip finished sub-runs and resume a killed one.",
                "experiment active-learning (see its --help): what choosing sentences by the model's uncertainty saves an "
                        + "annotator, simulated with gold labels."})
public final class ExperimentCommand implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;
    @Mixin DataOptions data;
    @Mixin DeviceOption device;
    @Mixin PrecisionOption precisionOption;

    // optional for picocli, so that "experiment active-learning" reaches its subcommand; call() asks for both
    @Parameters(index = "0", arity = "0..1", paramLabel = "NAME",
            description = "The experiment: swiss-panx (or the subcommand active-learning).")
    String name;

    @Option(names = "--output", paramLabel = "DIR",
            description = "Where results, report, plots and the sub-runs' folders go; keep it to resume.")
    Path output;

    @Option(names = "--model", paramLabel = ModelArgument.LABEL, converter = ModelArgument.Converter.class,
            description = "Pretrained body (default: multilingual BERT from Maven Central)." + ModelArgument.HELP)
    ModelSource body;

    @Option(names = "--only", split = ",", paramLabel = "PARTS",
            description = "Run only these parts: de, curve, de-fr, each, all (default: all of them). The report "
                    + "includes every finished part in --output.")
    List<String> only;

    @Option(names = "--quick", description = "A fast look: 1 epoch, at most 500 training sentences per sub-run, the "
            + "curve at 250 and 500, at most 300 validation and 500 test sentences per language.")
    boolean quick;

    @Option(names = "--keep-models", arity = "0..1", split = ",", fallbackValue = "*", paramLabel = "IDS",
            description = "Keep the fine-tuned models (700 MB each) of all sub-runs, or of these (e.g. de,all) "
                    + "under runs/<id>/model; by default each is deleted once scored. Checkpoints are always deleted.")
    List<String> keepModels;

    @Option(names = "--epochs", paramLabel = "N", description = "Epochs of each sub-run (default: 3, or 1 with --quick).")
    Integer epochs;

    @Option(names = "--curve-epochs", paramLabel = "N",
            description = "Epochs of the learning-curve sub-runs (default: --epochs).")
    Integer curveEpochs;

    @Option(names = "--curve-sizes", split = ",", paramLabel = "N",
            description = "French training sentences of the curve (default: 250,500,1000,2000,4000; 250,500 with --quick).")
    List<Integer> curveSizes;

    @Override
    public Integer call() throws IOException {
        if (name == null) {
            throw new XnerInputException("name the experiment: swiss-panx or active-learning");
        }
        if (!"swiss-panx".equals(name)) {
            throw new XnerInputException("no experiment \"" + name + "\"; there are swiss-panx and active-learning");
        }
        if (output == null) throw new XnerInputException("experiment swiss-panx needs --output DIR");
        device.use();
        if (!"swiss".equals(data.corpus)) {
            throw new XnerInputException("--corpus: the swiss-panx experiment runs on the Swiss corpus, not " + data.corpus);
        }
        // an experiment run again goes on in the precision its parts were started in, unless told otherwise
        Precision precision = precisionOption.useOr(SwissPanxExperiment.recordedPrecision(output));
        ExperimentSettings settings = settings();
        settings = settings.withTraining(settings.training().toBuilder().precision(precision).build());
        Set<SubRun.Group> selected = selected();
        PrintWriter err = spec.commandLine().getErr();
        Map<String, DatasetDict> corpus = data.load(SubRun.LANGS, err);
        Path bodyDir = body != null ? ModelArgument.fetch(body, err).folder() : MultilingualBert.modelDir();
        String command = String.join(" ", spec.commandLine().getParseResult().originalArgs()); // from "experiment" on

        SwissPanxExperiment experiment = new SwissPanxExperiment(corpus, data.corpusSeed, bodyDir, settings,
                new PrintStream(System.err, true), SwissPanxExperiment.Listener.NONE);
        ExperimentResults results = experiment.run(output, selected, keep(), command);

        PrintWriter out = spec.commandLine().getOut();
        out.println("test F1 (rows: trained on; — = not finished)");
        out.printf(Locale.ROOT, "%-8s %8s %8s %8s %8s%n", "", "de", "fr", "it", "en");
        results.finalTable().forEach((row, cells) -> {
            out.printf(Locale.ROOT, "%-8s", row);
            for (String lang : SubRun.LANGS) {
                Double f1 = cells.get(lang);
                out.printf(Locale.ROOT, " %8s", f1 == null ? "—" : String.format(Locale.ROOT, "%.4f", f1));
            }
            out.println();
        });
        results.crossover().ifPresent(c -> out.println("learning curve: " + c.sentence()));
        out.println("finished " + results.results().size() + " of " + results.plan().size() + " sub-runs; report in "
                + output.resolve(ExperimentReport.MARKDOWN) + " and " + output.resolve(ExperimentReport.HTML));
        out.flush();
        return Xner.EXIT_OK;
    }

    ExperimentSettings settings() {
        ExperimentSettings s = quick ? ExperimentSettings.quickRun() : ExperimentSettings.chapter();
        if (epochs != null) s = s.withEpochs(positive("--epochs", epochs)).withCurveEpochs(epochs);
        if (curveEpochs != null) s = s.withCurveEpochs(positive("--curve-epochs", curveEpochs));
        if (curveSizes != null) {
            try {
                s = s.withCurveSizes(curveSizes);
            } catch (IllegalArgumentException e) {
                throw new XnerInputException("--curve-sizes: " + e.getMessage());
            }
        }
        return s;
    }

    Set<SubRun.Group> selected() {
        if (only == null || only.isEmpty()) return EnumSet.allOf(SubRun.Group.class);
        Set<SubRun.Group> groups = EnumSet.noneOf(SubRun.Group.class);
        for (String part : only) groups.add(SubRun.Group.of(part.trim()));
        return groups;
    }

    Predicate<String> keep() {
        if (keepModels == null) return id -> false;
        if (keepModels.contains("*")) return id -> true;
        return keepModels::contains;
    }

    private static int positive(String option, int n) {
        if (n <= 0) throw new XnerInputException(option + ": must be > 0, was " + n);
        return n;
    }
}
