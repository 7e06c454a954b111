package xner.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class ProgressTest {
    private static final long SECOND = 1_000_000_000L;

    /** A clock the test moves by hand, and the text a progress printed. */
    private static final class Fake {
        long now = 1234 * SECOND;
        final StringBuilder printed = new StringBuilder();

        Progress progress(boolean terminal) {
            return new Progress(printed::append, terminal, () -> now);
        }

        List<String> lines() {
            return printed.toString().lines().toList();
        }
    }

    @Test
    void plainLinesComeAtLeastEveryThirtySecondsWhenTenthsAreSlow() {
        Fake f = new Fake();
        Progress p = f.progress(false);
        p.update(0.01, "step 1");            // the first update: shown, a log says at once that work began
        f.now += 29 * SECOND;
        p.update(0.02, "step 2");            // 29 s, still in the first tenth: not shown
        f.now += SECOND;
        p.update(0.03, "step 3");            // 30 s since the last line: shown
        f.now += 10 * SECOND;
        p.update(0.04, "step 4");            // 10 s later: not shown
        f.now += 25 * SECOND;
        p.update(0.05, "step 5");            // 35 s after step 3: shown
        assertEquals(List.of("step 1", "step 3", "step 5"), f.lines());
    }

    @Test
    void plainLinesComeAtEachTenthAndAtTheEnd() {
        Fake f = new Fake();
        Progress p = f.progress(false);
        for (int done = 1; done <= 20; done++) {
            f.now += SECOND / 10;
            p.update(done / 20.0, "step " + done);
        }
        p.finish("after the end");           // the update at 1 was the last line already
        assertEquals(List.of("step 1", "step 2", "step 4", "step 6", "step 8", "step 10", "step 12", "step 14",
                "step 16", "step 18", "step 20"), f.lines());
    }

    @Test
    void anUnknownTotalStillPrintsEveryThirtySecondsAndAtTheEnd() {
        Fake f = new Fake();
        Progress p = f.progress(false);
        for (int lines = 1; lines <= 100; lines++) {
            f.now += SECOND;
            p.update(-1, lines + " lines");
        }
        p.finish("100 lines, done");
        assertEquals(List.of("1 lines", "31 lines", "61 lines", "91 lines", "100 lines, done"), f.lines());
    }

    @Test
    void aTerminalLineIsRedrawnInPlaceAtMostOnceASecond() {
        Fake f = new Fake();
        Progress p = f.progress(true);
        p.update(0.1, "long line 1");
        f.now += SECOND / 2;
        p.update(0.2, "line 2");             // half a second later: not drawn
        f.now += SECOND / 2;
        p.update(0.3, "line 3");             // drawn over the longer line, which is erased
        p.report("a message");
        f.now += 2 * SECOND;
        p.update(1, "done");
        assertEquals("\rlong line 1\rline 3     \r      \ra message\n\rdone\n", f.printed.toString());
    }

    @Test
    void nothingIsShownForWorkThatNeverStarted() {
        Fake f = new Fake();
        f.progress(false).finish("empty");
        f.progress(true).finish("empty");
        assertEquals("", f.printed.toString());
    }

    @Test
    void etaAndDurationsAreHoursMinutesSeconds() {
        Fake f = new Fake();
        Progress p = f.progress(false);
        f.now += 90 * SECOND;
        assertEquals("0:04:30", p.eta(0.25));  // a quarter in 90 s: 270 s to go
        assertEquals("0:00:00", p.eta(1));
        assertEquals("1:02:05", Progress.clock(3725));
        assertEquals("[#####...............]", Progress.bar(0.25));
    }
}
