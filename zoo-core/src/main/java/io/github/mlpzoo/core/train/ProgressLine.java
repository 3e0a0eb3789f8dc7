package io.github.mlpzoo.core.train;

import java.io.PrintStream;
import java.util.Locale;

/** A single-line console progress bar for {@link Fit}: redrawn in place at most every 100 ms, one line per epoch. */
final class ProgressLine {

    private static final int WIDTH = 30;
    private static final long REDRAW_NANOS = 100_000_000L;

    private final PrintStream out;
    private final int epochs;
    private final int stepsPerEpoch;
    private long lastDraw;

    ProgressLine(int epochs, int stepsPerEpoch) {
        this(System.err, epochs, stepsPerEpoch);
    }

    ProgressLine(PrintStream out, int epochs, int stepsPerEpoch) {
        this.out = out;
        this.epochs = epochs;
        this.stepsPerEpoch = stepsPerEpoch;
        this.lastDraw = System.nanoTime() - REDRAW_NANOS; // so the first batch is drawn
    }

    void batch(int epoch, int done, double meanLoss) {
        long now = System.nanoTime();
        if (done < stepsPerEpoch && now - lastDraw < REDRAW_NANOS) {
            return;
        }
        lastDraw = now;
        int filled = (int) ((long) WIDTH * done / stepsPerEpoch);
        out.print(String.format(Locale.ROOT, "\repoch %d/%d [%s%s] %d/%d loss %.5g", epoch, epochs,
                "=".repeat(filled), " ".repeat(WIDTH - filled), done, stepsPerEpoch, meanLoss));
        out.flush();
    }

    void epochEnd(int epoch, double trainLoss, String metric, double score, boolean best) {
        out.print(String.format(Locale.ROOT, "\repoch %d/%d train loss %.5g  %s %.5g%s%s%n", epoch, epochs,
                trainLoss, metric, score, best ? "  (best)" : "", " ".repeat(WIDTH)));
        out.flush();
    }
}
