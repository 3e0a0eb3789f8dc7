package io.github.mlpzoo.tabular.kan;

import io.github.mlpzoo.core.zoo.TrainingOnly;

import java.util.Arrays;

/**
 * The configuration of a {@link Kan} (efficient-kan {@code KAN(layers_hidden, ...)}); defaults are efficient-kan's.
 *
 * @param widths the layer widths {@code [d_in, hidden..., d_out]} (efficient-kan {@code layers_hidden}), at least two
 * @param gridSize grid intervals G of every layer
 * @param splineOrder spline order k
 * @param scaleNoise noise of the initial spline coefficients
 * @param scaleBase scale of the base weights' init
 * @param scaleSpline scale of the spline scalers' init
 * @param gridEps weight of the uniform grid in a grid update
 * @param gridLo lower end of the initial grid
 * @param gridHi upper end of the initial grid
 */
public record KanConfig(
        int[] widths, int gridSize, int splineOrder, @TrainingOnly double scaleNoise, @TrainingOnly double scaleBase, @TrainingOnly double scaleSpline,
        double gridEps, double gridLo, double gridHi) {

    public KanConfig {
        if (widths == null || widths.length < 2 || Arrays.stream(widths).anyMatch(w -> w < 1)) {
            throw new IllegalArgumentException("KanConfig widths must list at least 2 sizes >= 1 ([d_in, ..., d_out]);"
                    + " got " + Arrays.toString(widths));
        }
        widths = widths.clone();
        if (gridSize < 1 || splineOrder < 0 || !(gridHi > gridLo) || !(gridEps >= 0 && gridEps <= 1)) {
            throw new IllegalArgumentException("KanConfig needs gridSize >= 1, splineOrder >= 0, gridLo < gridHi and "
                    + "gridEps in [0, 1]; got gridSize=" + gridSize + ", splineOrder=" + splineOrder + ", range ["
                    + gridLo + ", " + gridHi + "], gridEps=" + gridEps);
        }
    }

    /** efficient-kan's defaults (grid 5, cubic, noise 0.1, range [-1, 1]) on {@code widths}. */
    public static KanConfig of(int... widths) {
        return new KanConfig(widths, 5, 3, 0.1, 1.0, 1.0, 0.02, -1, 1);
    }

    /** The registered default: 8 California Housing features → 16 → 1. */
    public static KanConfig california() {
        return of(8, 16, 1);
    }

    /** This config with another grid size (grid extension). */
    public KanConfig withGridSize(int g) {
        return new KanConfig(widths, g, splineOrder, scaleNoise, scaleBase, scaleSpline, gridEps, gridLo, gridHi);
    }

    @Override
    public int[] widths() {
        return widths.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KanConfig c && Arrays.equals(widths, c.widths) && gridSize == c.gridSize
                && splineOrder == c.splineOrder && scaleNoise == c.scaleNoise && scaleBase == c.scaleBase
                && scaleSpline == c.scaleSpline && gridEps == c.gridEps && gridLo == c.gridLo && gridHi == c.gridHi;
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(widths) + java.util.Objects.hash(gridSize, splineOrder, scaleNoise, scaleBase,
                scaleSpline, gridEps, gridLo, gridHi);
    }

    @Override
    public String toString() {
        return "KanConfig[widths=" + Arrays.toString(widths) + ", gridSize=" + gridSize + ", splineOrder="
                + splineOrder + ", scaleNoise=" + scaleNoise + ", scaleBase=" + scaleBase + ", scaleSpline="
                + scaleSpline + ", gridEps=" + gridEps + ", gridLo=" + gridLo + ", gridHi=" + gridHi + "]";
    }
}
