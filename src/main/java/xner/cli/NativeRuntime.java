package xner.cli;

/**
 * Settings DJL, libtorch and ONNX Runtime need before their first use: offline always (DJL otherwise tries to download
 * engines and to reach a metadata address), two intra-op threads on the 2-core machines we run on.
 * A value the user already set (as {@code -D} or in {@code XNER_JAVA_OPTS}) wins.
 */
final class NativeRuntime {
    private NativeRuntime() {}

    static void configureDefaults() {
        setIfAbsent("ai.djl.offline", "true");
        setIfAbsent("OPT_OUT_TRACKING", "true");
        setIfAbsent("ai.djl.pytorch.num_threads", envOr("XNER_THREADS", "2"));
        setIfAbsent("ai.djl.pytorch.num_interop_threads", "1");
        setIfAbsent("xner.onnx.num_threads", envOr("XNER_THREADS", "2")); // ONNX Runtime's intra-op threads, as libtorch's
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) System.setProperty(key, value);
    }

    private static String envOr(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
