package io.github.mlpzoo.core.train;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProgressLineTest {

    @Test
    void redrawsOneLineAndEndsEachEpochWithASummary() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressLine bar = new ProgressLine(new PrintStream(bytes, true, StandardCharsets.UTF_8), 2, 4);
        for (int i = 1; i <= 4; i++) {
            bar.batch(1, i, 0.5);
        }
        bar.epochEnd(1, 0.5, "rmse", 0.25, true);
        String out = bytes.toString(StandardCharsets.UTF_8);
        // the first and the last batch are always drawn; nothing but the summary ends a line
        assertTrue(out.startsWith("\repoch 1/2 [=======" ), out);
        assertTrue(out.contains("] 4/4 loss 0.50000"), out);
        assertTrue(out.contains("\repoch 1/2 train loss 0.50000  rmse 0.25000  (best)"), out);
        assertEquals(1, out.split("\n", -1).length - 1, out);
    }
}
