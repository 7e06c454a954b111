package xner.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.Option;
import xner.data.HubPanx;
import xner.data.LocalPanx;
import xner.data.PanxSource;

/** {@code --data-dir}: where PAN-X comes from, the local folder given or else the Hugging Face hub. */
final class DataDirOption {
    @Option(names = "--data-dir", defaultValue = "${env:XNER_DATA}", paramLabel = "DIR",
            description = "Folder holding PAN-X as panx/<lang>/{train,dev,test} or <lang>/... (default: $XNER_DATA; "
                    + "without one, PAN-X is downloaded from the Hugging Face hub).")
    Path dataDir;

    /** The local folder's PAN-X, or the hub's (saying so on {@code err}) when no folder is given. */
    PanxSource source(PrintWriter err) {
        if (dataDir != null) return new LocalPanx(dataDir);
        err.println("xner: no --data-dir (or XNER_DATA): reading PAN-X from the Hugging Face hub (google/xtreme), cached");
        err.flush();
        return HubPanx.fromEnvironment();
    }
}
