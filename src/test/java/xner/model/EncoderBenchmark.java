package xner.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * Times multilingual BERT on this machine: conversion from the jar (with {@code --convert}, into a temporary
 * cache), loading the converted folder, one sentence, and batches of 32 × 48 tokens. A benchmark, not a test:
 * {@code java -cp target/classes:target/test-classes:$(cat cp.txt) xner.model.EncoderBenchmark [--convert]}.
 */
public final class EncoderBenchmark {
    private EncoderBenchmark() {}

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("--convert")) {
            Path cache = Files.createTempDirectory("xner-bench-cache");
            long t = System.nanoTime();
            MultilingualBert.modelDir(cache, line -> System.out.println("  " + line));
            System.out.printf("conversion: %.1f s%n", (System.nanoTime() - t) / 1e9);
            ModelDirectory.deleteRecursively(cache);
        }
        Path dir = MultilingualBert.modelDir();
        long t = System.nanoTime();
        try (MaskedLanguageModel model = MaskedLanguageModel.load(dir)) {
            System.out.printf("load from safetensors: %.2f s (%d parameters)%n", (System.nanoTime() - t) / 1e9,
                    model.parameters().size());
            long[][] sentence = {{101, 17218, 18657, 10298, 10290, 43964, 103286, 26948, 10492, 13888, 10106, 39042, 102}};
            time(model, sentence, 3, 20, "one sentence (13 tokens)");
            Random random = new Random(0);
            long[][] batch = new long[32][48];
            for (long[] row : batch) for (int i = 0; i < row.length; i++) row[i] = 1000 + random.nextInt(100000);
            time(model, batch, 2, 8, "batch 32 x 48");
        }
        long heapPeak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) heapPeak += pool.getPeakUsage().getUsed();
        }
        long direct = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
                .filter(b -> b.getName().equals("direct")).mapToLong(BufferPoolMXBean::getMemoryUsed).sum();
        String hwm = Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("VmHWM"))
                .findFirst().orElse("VmHWM ?");
        System.out.printf("peak heap (sum of pool peaks): %d MB; direct buffers now: %d MB; peak RSS %s%n",
                heapPeak >> 20, direct >> 20, hwm.replaceAll("\\s+", " "));
    }

    private static void time(MaskedLanguageModel model, long[][] ids, int warmup, int runs, String what) {
        long tokens = (long) ids.length * ids[0].length;
        double best = Double.MAX_VALUE;
        double total = 0;
        for (int i = 0; i < warmup + runs; i++) {
            try (NDManager call = model.parameters().manager().newSubManager()) {
                long t = System.nanoTime();
                NDArray hidden = model.encoder().forward(call, call.create(ids), null, null, false);
                hidden.toFloatArray(); // wait for the result
                double s = (System.nanoTime() - t) / 1e9;
                if (i >= warmup) {
                    best = Math.min(best, s);
                    total += s;
                }
            }
        }
        double mean = total / runs;
        System.out.printf("%s: mean %.3f s, best %.3f s, %.0f tokens/s (mean)%n", what, mean, best, tokens / mean);
    }
}
