package io.github.mlpzoo.bench.cli;

import io.github.mlpzoo.core.train.History;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** PNG plots of a training run (XChart, headless). */
final class Plots {

    private Plots() {}

    /** Train loss and validation metric per epoch, side by side, with the kept epoch marked. */
    static void learningCurves(History h, String title, Path png) throws IOException {
        List<History.Epoch> es = h.epochs();
        if (es.isEmpty()) {
            return;
        }
        double[] x = es.stream().mapToDouble(History.Epoch::epoch).toArray();
        XYChart loss = new XYChartBuilder().width(640).height(420).title(title + ": train loss")
                .xAxisTitle("epoch").yAxisTitle("loss").build();
        loss.addSeries("train loss", x, es.stream().mapToDouble(History.Epoch::trainLoss).toArray())
                .setMarker(SeriesMarkers.NONE);
        XYChart val = new XYChartBuilder().width(640).height(420).title(title + ": validation " + h.metric())
                .xAxisTitle("epoch").yAxisTitle(h.metric()).build();
        val.addSeries("val " + h.metric(), x, es.stream().mapToDouble(History.Epoch::valMetric).toArray())
                .setMarker(SeriesMarkers.NONE);
        if (h.bestEpoch() > 0) {
            History.Epoch best = es.stream().filter(e -> e.epoch() == h.bestEpoch()).findFirst().orElse(null);
            if (best != null) {
                val.addSeries("kept (epoch " + best.epoch() + ")", new double[] {best.epoch()},
                        new double[] {best.valMetric()}).setMarker(SeriesMarkers.CIRCLE);
            }
        }
        String file = png.toString();
        String base = file.endsWith(".png") ? file.substring(0, file.length() - 4) : file;
        BitmapEncoder.saveBitmap(List.of(loss, val), 1, 2, base, BitmapEncoder.BitmapFormat.PNG);
    }
}
