package xner.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import xner.data.HubPanx;
import xner.data.LocalPanx;
import xner.data.PanxSource;

/** Chooses where PAN-X comes from for a command: the local folder given, else the Hugging Face hub. */
final class PanxSources {
    private PanxSources() {}

    static PanxSource of(Path dataDir, PrintWriter err) {
        if (dataDir != null) return new LocalPanx(dataDir);
        err.println("xner: no --data-dir (or XNER_DATA): reading PAN-X from the Hugging Face hub (google/xtreme), cached");
        err.flush();
        return HubPanx.fromEnvironment();
    }
}
