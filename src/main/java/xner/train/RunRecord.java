package xner.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import xner.io.JsonOutput;
import xner.io.Sha256;

/**
 * How a model or a result was made, saved beside it as {@code xner-run.json}: the command, the input files
 * with their SHA-256, the seed and hyperparameters, the code's git commit, and the platform — floating-point
 * results differ across libtorch builds and CPUs, so a number is only comparable with its platform.
 *
 * @param command         what was run, e.g. {@code train --train-langs de}
 * @param inputs          input file → SHA-256 (hex)
 * @param seed            the training seed
 * @param hyperparameters name → value, as given to the run
 * @param gitCommit       the commit of the code ({@code -Dxner.gitCommit}, set by bin/xner), or "unknown"
 * @param platform        java version, os.name, os.arch, DJL and libtorch versions
 * @param startedAt       ISO-8601 instant
 */
public record RunRecord(String command, Map<String, String> inputs, long seed, Map<String, Object> hyperparameters,
                        String gitCommit, Map<String, String> platform, String startedAt) {
    public RunRecord {
        inputs = Map.copyOf(inputs);
        hyperparameters = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(hyperparameters));
        platform = Map.copyOf(platform);
    }

    /** A record of a run starting now, hashing {@code inputFiles}. */
    public static RunRecord capture(String command, List<Path> inputFiles, long seed, Map<String, Object> hyperparameters) {
        Map<String, String> inputs = new LinkedHashMap<>();
        for (Path file : inputFiles) inputs.put(file.toString(), Sha256.hex(file));
        return new RunRecord(command, inputs, seed, hyperparameters, System.getProperty("xner.gitCommit", "unknown"),
                currentPlatform(), Instant.now().toString());
    }

    static Map<String, String> currentPlatform() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("java", System.getProperty("java.version"));
        p.put("os.name", System.getProperty("os.name"));
        p.put("os.arch", System.getProperty("os.arch"));
        p.put("djl", versionOf(ai.djl.Device.class));
        p.put("libtorch", System.getProperty("xner.libtorch", "2.7.1"));
        p.put("threads", System.getProperty("ai.djl.pytorch.num_threads", "default"));
        // speed and bf16 rounding depend on the CPU: its model and the flags that choose libtorch's kernels
        p.put("cpu", xner.model.Precision.cpuModel());
        p.put("cpu_flags", String.join(" ", xner.model.Precision.cpuFlags().stream()
                .filter(f -> f.equals("avx2") || f.equals("avx512f") || f.equals("avx512_bf16") || f.equals("amx_bf16"))
                .sorted().toList()));
        return p;
    }

    private static String versionOf(Class<?> type) {
        String v = type.getPackage().getImplementationVersion();
        return v == null ? "unknown" : v;
    }

    /** This record with one more fact beside the hyperparameters (a figure known only at the end of the run). */
    public RunRecord withFact(String name, Object value) {
        Map<String, Object> facts = new LinkedHashMap<>(hyperparameters);
        facts.put(name, value);
        return new RunRecord(command, inputs, seed, facts, gitCommit, platform, startedAt);
    }

    public String toJson() {
        return JsonOutput.PRETTY.toJson(this);
    }

    public void write(Path file) {
        try {
            Files.writeString(file, toJson());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

}
