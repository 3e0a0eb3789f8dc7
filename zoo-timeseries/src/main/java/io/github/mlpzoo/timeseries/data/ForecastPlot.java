package io.github.mlpzoo.timeseries.data;

import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import io.github.mlpzoo.timeseries.data.Ett.Part;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * A PNG of one test window (the first): the last 2·H context steps, the true next H steps and the model's
 * forecast, for the last channel (OT, oil temperature), in standardized units. Drawn with the JDK only (headless).
 */
final class ForecastPlot {

    private ForecastPlot() {}

    static void write(Model model, Ett data, int context, int horizon, Path png) throws IOException {
        int c = Ett.CHANNELS;
        float[] x = new float[context * c];
        float[] y = new float[horizon * c];
        data.window(Part.TEST, 0, context, horizon, x, 0, y, 0);
        float[] p;
        try (NDManager m = model.getNDManager().newSubManager()) {
            p = HfTrainerProtocol.predict(model, m, m.create(FloatBuffer.wrap(x), new Shape(1, context, c)))
                    .toFloatArray();
        }
        int shown = Math.min(context, 2 * horizon);
        int total = shown + horizon;
        float[] past = new float[shown];
        float[] truth = new float[horizon];
        float[] fc = new float[horizon];
        for (int t = 0; t < shown; t++) {
            past[t] = x[(context - shown + t) * c + c - 1];
        }
        float lo = Float.MAX_VALUE;
        float hi = -Float.MAX_VALUE;
        for (int t = 0; t < horizon; t++) {
            truth[t] = y[t * c + c - 1];
            fc[t] = p[t * c + c - 1];
        }
        for (float[] a : new float[][] {past, truth, fc}) {
            for (float v : a) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
        }
        int w = 900;
        int h = 400;
        int margin = 40;
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        g.setColor(Color.LIGHT_GRAY);
        g.drawRect(margin, margin, w - 2 * margin, h - 2 * margin);
        int xSplit = margin + (int) ((double) shown / total * (w - 2 * margin));
        g.drawLine(xSplit, margin, xSplit, h - margin);
        float range = Math.max(hi - lo, 1e-6f);
        line(g, past, 0, total, lo, range, w, h, margin, Color.BLACK);
        line(g, truth, shown, total, lo, range, w, h, margin, new Color(0, 110, 0));
        line(g, fc, shown, total, lo, range, w, h, margin, new Color(200, 30, 30));
        g.setColor(Color.DARK_GRAY);
        g.drawString(String.format("%s test window 0, OT (standardized): context (black), truth (green), forecast (red);"
                + " T=%d, H=%d", data.name(), context, horizon), margin, 25);
        g.dispose();
        ImageIO.write(img, "png", png.toFile());
    }

    private static void line(Graphics2D g, float[] v, int offset, int total, float lo, float range, int w, int h,
            int margin, Color color) {
        g.setColor(color);
        g.setStroke(new BasicStroke(1.6f));
        double dx = (double) (w - 2 * margin) / (total - 1);
        for (int t = 1; t < v.length; t++) {
            int x0 = margin + (int) ((offset + t - 1) * dx);
            int x1 = margin + (int) ((offset + t) * dx);
            int y0 = h - margin - (int) ((v[t - 1] - lo) / range * (h - 2 * margin));
            int y1 = h - margin - (int) ((v[t] - lo) / range * (h - 2 * margin));
            g.drawLine(x0, y0, x1, y1);
        }
    }
}
